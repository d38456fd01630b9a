Rails.application.routes.draw do
  root "dashboard#show"
end
