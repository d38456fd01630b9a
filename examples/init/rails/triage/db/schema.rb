ActiveRecord::Schema[7.0].define(version: 2023_10_01_000000) do
  create_table "issues" do |t|
    t.string "title"
  end
end
