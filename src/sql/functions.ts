/**
 * Which functions PostgreSQL evaluates once per statement and which once per row: an `ADD
 * COLUMN` whose `DEFAULT` calls a volatile function fills each existing row with its own
 * value, so PostgreSQL rewrites the whole table under an exclusive lock; a stable or
 * immutable default (`now()`, `'free'`) is stored once in the catalogue and costs nothing.
 *
 * Source: PostgreSQL 18's own catalogue, `pg_proc.provolatile` (`v` volatile, `s` stable,
 * `i` immutable) of the functions of `pg_catalog`, as PGlite 0.5 (PostgreSQL 18.6) answers
 * the query `CATALOGUE_QUERY` of __tests__/sql/functions.test.ts, which checks these lists
 * against it: plain functions (no aggregates, window functions or procedures) that an
 * expression can call (none taking or returning `internal` or `cstring`, no trigger or
 * handler functions), not written as operators (`int4pl` is `+`), and not the server's
 * administration functions (`pg_*`, `binary_upgrade_*`). A name is volatile when one of its
 * overloads is.
 *
 * Any other function is PostgreSQL's only if it is one of these; otherwise it is a user's or an
 * extension's (`uuid_generate_v4()` of uuid-ossp, `gen_random_bytes()` of pgcrypto), and
 * counts as volatile: that is what `CREATE FUNCTION` makes unless told otherwise.
 */

const names = (text: string) => new Set(text.split(/\s+/).filter(Boolean))

/** `provolatile = 'v'`: a new value at each call. */
export const VOLATILE_FUNCTIONS = names(`
  amvalidate array_sample array_shuffle brin_desummarize_range brin_summarize_new_values
  brin_summarize_range clock_timestamp current_query currtid2 currval cursor_to_xml
  cursor_to_xmlschema gen_random_uuid gin_clean_pending_list lastval lo_close lo_creat
  lo_create lo_export lo_from_bytea lo_get lo_import lo_lseek lo_lseek64 lo_open lo_put
  lo_tell lo_tell64 lo_truncate lo_truncate64 lo_unlink loread lowrite nextval
  plpgsql_validator query_to_xml query_to_xml_and_xmlschema query_to_xmlschema random
  random_normal set_config setseed setval timeofday ts_rewrite ts_stat txid_status uuidv4
  uuidv7
`)

/** `provolatile` `s` or `i` for every overload: one value per statement. */
export const NOT_VOLATILE_FUNCTIONS = names(`
  abbrev abs acldefault aclexplode acos acosd acosh age any_value_transfn anyarray_send
  anycompatiblearray_send area array_dims array_fill array_larger array_length array_lower
  array_ndims array_position array_positions array_remove array_replace array_reverse
  array_send array_smaller array_sort array_to_json array_to_string array_to_tsvector
  array_upper ascii asin asind asinh atan atan2 atan2d atand atanh bit bit_count bit_length
  bit_send bitcmp bittypmodin bool booland_statefunc boolor_statefunc boolsend bound_box box
  box_send bpchar bpchar_larger bpchar_smaller bpcharcmp bpcharsend bpchartypmodin
  brin_bloom_summary_send brin_minmax_multi_summary_send broadcast btarraycmp btboolcmp
  btbpchar_pattern_cmp btcharcmp btequalimage btfloat48cmp btfloat4cmp btfloat84cmp
  btfloat8cmp btint24cmp btint28cmp btint2cmp btint42cmp btint48cmp btint4cmp btint82cmp
  btint84cmp btint8cmp btnamecmp btnametextcmp btoidcmp btoidvectorcmp btrecordcmp
  btrecordimagecmp btrim bttext_pattern_cmp bttextcmp bttextnamecmp bttidcmp
  btvarstrequalimage bytea bytea_larger bytea_smaller byteacmp byteasend cardinality casefold
  cash_cmp cash_send cash_words cashlarger cashsmaller cbrt ceil ceiling center char
  char_length character_length charsend chr cidr cidr_send cidsend circle circle_send
  col_description concat concat_ws convert convert_from convert_to cos cosd cosh cot cotd
  crc32 crc32c current_database current_schema current_schemas current_setting current_user
  database_to_xml database_to_xml_and_xmlschema database_to_xmlschema date date_add date_bin
  date_cmp date_cmp_timestamp date_cmp_timestamptz date_larger date_part date_send
  date_smaller date_subtract date_trunc datemultirange daterange daterange_canonical
  daterange_subdiff decode degrees dexp diagonal diameter div dlog1 dlog10 dround dtrunc
  encode enum_cmp enum_first enum_larger enum_last enum_range enum_send enum_smaller erf erfc
  exp extract factorial family float4 float4_accum float4larger float4send float4smaller
  float8 float8_accum float8_avg float8_combine float8_corr float8_covar_pop float8_covar_samp
  float8_regr_accum float8_regr_avgx float8_regr_avgy float8_regr_combine
  float8_regr_intercept float8_regr_r2 float8_regr_slope float8_regr_sxx float8_regr_sxy
  float8_regr_syy float8_stddev_pop float8_stddev_samp float8_var_pop float8_var_samp
  float8larger float8send float8smaller floor fmgr_c_validator fmgr_internal_validator
  fmgr_sql_validator format format_type gamma gcd generate_series generate_subscripts get_bit
  get_byte get_current_ts_config getdatabaseencoding getpgusername gin_cmp_tslexeme
  gin_compare_jsonb gist_translate_cmptype_common has_any_column_privilege
  has_column_privilege has_database_privilege has_foreign_data_wrapper_privilege
  has_function_privilege has_language_privilege has_largeobject_privilege
  has_parameter_privilege has_schema_privilege has_sequence_privilege has_server_privilege
  has_table_privilege has_tablespace_privilege has_type_privilege hash_aclitem
  hash_aclitem_extended hash_array hash_array_extended hash_multirange
  hash_multirange_extended hash_numeric hash_numeric_extended hash_range hash_range_extended
  hash_record hash_record_extended hashbool hashboolextended hashbpchar hashbpcharextended
  hashbytea hashbyteaextended hashchar hashcharextended hashcid hashcidextended hashdate
  hashdateextended hashenum hashenumextended hashfloat4 hashfloat4extended hashfloat8
  hashfloat8extended hashinet hashinetextended hashint2 hashint2extended hashint4
  hashint4extended hashint8 hashint8extended hashmacaddr hashmacaddr8 hashmacaddr8extended
  hashmacaddrextended hashname hashnameextended hashoid hashoidextended hashoidvector
  hashoidvectorextended hashtext hashtextextended hashtid hashtidextended hashxid hashxid8
  hashxid8extended hashxidextended height host hostmask icu_unicode_version in_range
  inet_client_addr inet_client_port inet_merge inet_same_family inet_send inet_server_addr
  inet_server_port initcap int2 int2_avg_accum int2_avg_accum_inv int2_sum int2int4_sum
  int2larger int2send int2smaller int2vectorsend int4 int4_avg_accum int4_avg_accum_inv
  int4_avg_combine int4_sum int4inc int4larger int4multirange int4range int4range_canonical
  int4range_subdiff int4send int4smaller int8 int8_avg int8_sum int8dec int8dec_any int8inc
  int8inc_any int8inc_float8_float8 int8larger int8multirange int8range int8range_canonical
  int8range_subdiff int8send int8smaller interval interval_cmp interval_hash
  interval_hash_extended interval_larger interval_send interval_smaller intervaltypmodin
  is_normalized isclosed isempty isfinite ishorizontal isopen isparallel isperp isvertical
  json_array_elements json_array_elements_text json_array_length json_build_array
  json_build_object json_each json_each_text json_object json_object_keys json_populate_record
  json_populate_recordset json_send json_strip_nulls json_to_record json_to_recordset
  json_to_tsvector json_typeof jsonb_array_elements jsonb_array_elements_text
  jsonb_array_length jsonb_build_array jsonb_build_object jsonb_cmp jsonb_each jsonb_each_text
  jsonb_hash jsonb_hash_extended jsonb_insert jsonb_object jsonb_object_keys jsonb_path_exists
  jsonb_path_exists_tz jsonb_path_match jsonb_path_match_tz jsonb_path_query
  jsonb_path_query_array jsonb_path_query_array_tz jsonb_path_query_first
  jsonb_path_query_first_tz jsonb_path_query_tz jsonb_populate_record
  jsonb_populate_record_valid jsonb_populate_recordset jsonb_pretty jsonb_send jsonb_set
  jsonb_set_lax jsonb_strip_nulls jsonb_to_record jsonb_to_recordset jsonb_to_tsvector
  jsonb_typeof jsonpath_send justify_days justify_hours justify_interval lcm left length
  lgamma like like_escape line line_send ln log log10 lower lower_inc lower_inf lpad lseg
  lseg_send ltrim macaddr macaddr8 macaddr8_cmp macaddr8_send macaddr8_set7bit macaddr_cmp
  macaddr_send make_date make_interval make_time make_timestamp make_timestamptz makeaclitem
  masklen md5 min_scale mod money multirange multirange_cmp multirange_intersect_agg_transfn
  multirange_send mxid_age name nameconcatoid namesend netmask network network_cmp
  network_larger network_smaller normalize notlike now npoints num_nonnulls num_nulls numeric
  numeric_cmp numeric_div_trunc numeric_exp numeric_inc numeric_larger numeric_ln numeric_log
  numeric_send numeric_smaller numeric_sqrt numerictypmodin nummultirange numnode numrange
  numrange_subdiff obj_description octet_length oid oidlarger oidsend oidsmaller oidvectorsend
  oidvectortypes overlaps overlay parse_ident path path_send pclose phraseto_tsquery pi
  plainto_tsquery point point_send poly_send polygon popen position postgresql_fdw_validator
  pow power querytree quote_ident quote_literal quote_nullable radians radius range_cmp
  range_intersect_agg_transfn range_merge range_send record_larger record_send record_smaller
  regclass regclasssend regcollationsend regconfigsend regdictionarysend regexp_count
  regexp_instr regexp_like regexp_match regexp_matches regexp_replace regexp_split_to_array
  regexp_split_to_table regexp_substr regnamespacesend regoperatorsend regopersend
  regproceduresend regprocsend regrolesend regtypesend repeat replace reverse right round
  row_security_active row_to_json rpad rtrim satisfies_hash_partition scale schema_to_xml
  schema_to_xml_and_xmlschema schema_to_xmlschema session_user set_bit set_byte set_masklen
  setweight sha224 sha256 sha384 sha512 shobj_description sign similar_escape
  similar_to_escape sin sind sinh slope spg_poly_quad_compress split_part sqrt
  statement_timestamp string_to_array string_to_table strip strpos substr substring
  system_user table_to_xml table_to_xml_and_xmlschema table_to_xmlschema tan tand tanh text
  text_larger text_smaller textlen textsend tidlarger tidsend tidsmaller time time_cmp
  time_hash time_hash_extended time_larger time_send time_smaller timestamp timestamp_cmp
  timestamp_cmp_date timestamp_cmp_timestamptz timestamp_hash timestamp_hash_extended
  timestamp_larger timestamp_send timestamp_smaller timestamptypmodin timestamptz
  timestamptz_cmp timestamptz_cmp_date timestamptz_cmp_timestamp timestamptz_hash
  timestamptz_hash_extended timestamptz_larger timestamptz_send timestamptz_smaller
  timestamptztypmodin timetypmodin timetz timetz_cmp timetz_hash timetz_hash_extended
  timetz_larger timetz_send timetz_smaller timetztypmodin timezone to_ascii to_bin to_char
  to_date to_hex to_json to_jsonb to_number to_oct to_regclass to_regcollation to_regnamespace
  to_regoper to_regoperator to_regproc to_regprocedure to_regrole to_regtype to_regtypemod
  to_timestamp to_tsquery to_tsvector transaction_timestamp translate trim_array trim_scale
  trunc ts_debug ts_delete ts_filter ts_headline ts_lexize ts_parse ts_rank ts_rank_cd
  ts_token_type tsmultirange tsquery_cmp tsquery_phrase tsquerysend tsrange tsrange_subdiff
  tstzmultirange tstzrange tstzrange_subdiff tsvector_cmp tsvector_to_array tsvectorsend
  txid_current txid_current_if_assigned txid_current_snapshot txid_snapshot_send
  txid_snapshot_xip txid_snapshot_xmax txid_snapshot_xmin txid_visible_in_snapshot
  unicode_assigned unicode_version unistr unknownsend unnest upper upper_inc upper_inf
  uuid_cmp uuid_extract_timestamp uuid_extract_version uuid_hash uuid_hash_extended uuid_send
  varbit varbit_send varbitcmp varbittypmodin varchar varcharsend varchartypmodin version
  void_send websearch_to_tsquery width width_bucket xid xid8_larger xid8_smaller xid8cmp
  xid8send xidsend xml xml_is_well_formed xml_is_well_formed_content
  xml_is_well_formed_document xml_send xmlcomment xmlconcat2 xmlexists xmltext xmlvalidate
  xpath xpath_exists
`)

/**
 * Whether a call of this function (its name as written, maybe schema-qualified) is volatile:
 * a volatile function of PostgreSQL, or one PostgreSQL does not define.
 */
export function isVolatileFunction(qualifiedName: string[]): boolean {
  const name = qualifiedName.at(-1) ?? ''
  const schema = qualifiedName.length > 1 ? qualifiedName.at(-2) : 'pg_catalog'
  if (schema !== 'pg_catalog') return true
  return VOLATILE_FUNCTIONS.has(name) || !NOT_VOLATILE_FUNCTIONS.has(name)
}
