exports.routes = (req, res) => {
  if (req.url === '/health') {
    res.setHeader('content-type', 'application/health+json')
    return res.end(JSON.stringify({ status: 'pass' }))
  }
  res.end('notes')
}
