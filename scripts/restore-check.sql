-- What a restored copy must have of the database it was dumped from (docs/OPERATIONS.md, "Checking a restore").
-- Run it on both and compare:  psql -X -At -f scripts/restore-check.sql <database> > <database>.txt
-- Prints every table with its number of rows and a checksum of their content, the latest changes of the
-- delaktiviteter, and the size and SHA-256 of every stored follow-up report.
\set QUIET on
\set ON_ERROR_STOP on
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';

SELECT 'table', table_name,
    (xpath('/row/n/text()', query_to_xml(
        format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text AS row_count,
    (xpath('/row/h/text()', query_to_xml(
        format('SELECT md5(coalesce(string_agg(md5(t::text), '''' ORDER BY md5(t::text)), '''')) AS h FROM %I AS t',
               table_name), false, true, '')))[1]::text AS checksum
FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
ORDER BY table_name;

SELECT 'latest change', history_date, id, status, history_type, history_user_id, history_change_reason
FROM activities_historicalsubactivity
ORDER BY history_date DESC, history_id DESC
LIMIT 5;

SELECT 'report', id, year, half, state, octet_length(report_pdf), encode(sha256(report_pdf), 'hex')
FROM followup_followup
WHERE report_pdf IS NOT NULL
ORDER BY id;
