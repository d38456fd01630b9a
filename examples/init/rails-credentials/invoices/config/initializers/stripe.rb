# The API key comes from the encrypted credentials: there is no default, on purpose.
Stripe.api_key = Rails.application.credentials.stripe_secret_key!
