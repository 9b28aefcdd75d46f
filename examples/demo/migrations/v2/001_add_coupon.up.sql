-- v2: orders may carry a coupon code.
-- Wait at most 5 s for the lock on orders, rather than queue every order behind this.
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN coupon text;
