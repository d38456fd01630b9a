ActiveRecord::Schema[7.0].define(version: 2023_01_01_000000) do
  create_table "volunteers" do |t|
    t.string "name"
  end
end
