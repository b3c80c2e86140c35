-- netsoc: placements aggregated before any graph is built (issue 19).
-- Plain SQL (SELECT, GROUP BY, JOIN, COUNT DISTINCT): runs on DuckDB here and unchanged on a
-- distributed engine (Trino, Spark SQL, BigQuery, ...) when the tables `placements`
-- (placement_id, person_key, referrer_id, host_id, program, outcome) and `actors`
-- (actor_id, kommun_kod) are registered there. Each statement is one result; they are
-- separated by lines starting with `-- name:`.

-- name: hosted
SELECT host_id AS actor_id, COUNT(*) AS placements
FROM placements GROUP BY host_id ORDER BY actor_id;

-- name: referred
SELECT referrer_id AS actor_id, COUNT(*) AS placements
FROM placements GROUP BY referrer_id ORDER BY actor_id;

-- name: referrals
SELECT referrer_id, host_id, COUNT(*) AS placements
FROM placements GROUP BY referrer_id, host_id ORDER BY referrer_id, host_id;

-- name: coplacements
-- host pairs (host_a < host_b) and the number of distinct persons placed at both
WITH ph AS (SELECT DISTINCT person_key, host_id FROM placements)
SELECT a.host_id AS host_a, b.host_id AS host_b, COUNT(*) AS persons
FROM ph a JOIN ph b ON a.person_key = b.person_key AND a.host_id < b.host_id
GROUP BY a.host_id, b.host_id ORDER BY host_a, host_b;

-- name: kommun
SELECT a.kommun_kod, COUNT(*) AS placements
FROM placements p JOIN actors a ON a.actor_id = p.host_id
WHERE a.kommun_kod IS NOT NULL AND a.kommun_kod <> ''
GROUP BY a.kommun_kod ORDER BY a.kommun_kod;

-- name: outcome
SELECT host_id, COALESCE(NULLIF(outcome, ''), 'unknown') AS outcome, COUNT(*) AS placements
FROM placements GROUP BY host_id, COALESCE(NULLIF(outcome, ''), 'unknown')
ORDER BY host_id, outcome;
