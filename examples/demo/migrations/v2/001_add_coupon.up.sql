-- v2: orders may carry a coupon code.
ALTER TABLE orders ADD COLUMN coupon text;
