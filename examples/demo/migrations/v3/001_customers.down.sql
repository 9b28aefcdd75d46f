ALTER TABLE orders ADD COLUMN customer text;
ALTER TABLE orders DROP COLUMN customer_id;
DROP TABLE customers;
