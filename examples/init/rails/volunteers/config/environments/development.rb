Rails.application.configure do
  config.cache_classes = false
end
