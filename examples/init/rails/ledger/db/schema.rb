ActiveRecord::Schema[7.1].define(version: 2024_03_01_000000) do
  create_table "entries" do |t|
    t.decimal "amount"
  end
end
