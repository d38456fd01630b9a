Rails.application.routes.draw do
  root "issues#index"
end
