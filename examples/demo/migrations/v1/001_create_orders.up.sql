-- v1: the shop's orders, with a few seed rows.
CREATE TABLE orders (
  id          serial PRIMARY KEY,
  customer    text        NOT NULL,
  item        text        NOT NULL,
  total_cents integer     NOT NULL CHECK (total_cents >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO orders (customer, item, total_cents) VALUES
  ('Ada Lovelace', 'Mechanical keyboard', 12900),
  ('Grace Hopper', 'Nanosecond wire (30 cm)', 150),
  ('Alan Turing', 'Chess set', 4500);
