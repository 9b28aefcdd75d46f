/**
 * What each release of the shop does differently. Two are deliberately broken:
 *
 * - v2 shows coupons (its migration adds `orders.coupon`), but its homepage never gives its
 *   database connection back. It passes the smoke tests; two page views later the pool is
 *   empty and /health answers 500, so Red Button's watch catches it and rolls back.
 * - v3 moves customers into a table of their own, and its migration drops `orders.customer`
 *   without copying the names first: Red Button's SQL lint refuses it before anything runs.
 */
const V1_COLUMNS = ['id', 'customer', 'item', 'total_cents', 'created_at']

export const RELEASES = {
  v1: { orderColumns: V1_COLUMNS, notes: 'orders list' },
  v2: {
    orderColumns: [...V1_COLUMNS, 'coupon'],
    notes: 'orders list with coupons',
    leaksConnections: true
  },
  v3: {
    orderColumns: ['id', 'customer_id', 'item', 'total_cents', 'created_at'],
    notes: 'customers in a table of their own'
  }
}

export function releaseOf(version) {
  const release = RELEASES[version]
  if (!release) {
    throw new Error(
      `unknown release ${JSON.stringify(version)} (known: ${Object.keys(RELEASES).join(', ')})`
    )
  }
  return release
}
