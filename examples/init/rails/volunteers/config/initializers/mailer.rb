# The address every volunteer email comes from, and the host its links point at.
# ENV["UNUSED_IN_A_COMMENT"] is not read.
Rails.application.config.action_mailer.default_options = { from: ENV["MAILER_FROM"] }
Rails.application.config.action_mailer.default_url_options = { host: ENV.fetch("APP_HOST", "localhost:3000") }
