class CreateInvoices < ActiveRecord::Migration[7.1]
  def change
    create_table :invoices do |t|
      t.integer :amount_cents, null: false
      t.timestamps
    end
  end
end
