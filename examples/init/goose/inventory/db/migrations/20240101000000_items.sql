-- +goose Up
CREATE TABLE items (id serial PRIMARY KEY, sku text NOT NULL);

-- +goose Down
DROP TABLE items;
