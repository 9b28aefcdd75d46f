/**
 * What each release of the shop does differently. v2 is deliberately broken: it shows
 * coupons, but reads a column `coupon_code` while its migration adds `coupon`. The migration
 * passes its check and applies fine; the homepage and /health then fail with a 500, so
 * Red Button's smoke tests catch it and roll back.
 */
const V1_COLUMNS = ['id', 'customer', 'item', 'total_cents', 'created_at']

export const RELEASES = {
  v1: { orderColumns: V1_COLUMNS, notes: 'orders list' },
  v2: { orderColumns: [...V1_COLUMNS, 'coupon_code'], notes: 'orders list with coupons' }
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
