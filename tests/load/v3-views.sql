-- The metric views of schema version 3 (gha-load 0.1 before the
-- aggregates), the reference of the metrics: tests/load/migrate.sh makes a
-- version 3 file with them.  dev_daily's two readers are unchanged in
-- version 4.  Since version 6 they leave bots out: a login ending in [bot]
-- (LIKE ignores ASCII case) or one of bot_logins (lower-cased); the
-- events keep them, and daily_summary counts them in its last column.
-- aggregates), word for word: tests/load/migrate.sh makes a version 3 file
-- with them.  dev_daily's two readers are unchanged in version 4.
-- Version 8 changed the definition of a push's count (the archive's, else
-- the resolved one of push_commits, else 1) and added the pushes by the
-- source of their count to daily_summary: here as the reference of
-- tests/load/rollup.sh; a version 3 file made with this SQL has no
-- push_commits and no view reads it before the migration replaces them.
CREATE VIEW dev_daily AS
SELECT day, actor_login,
  count(*) AS events,
  sum(CASE WHEN type = 'PushEvent' THEN 1 ELSE 0 END) AS pushes,
  sum(CASE WHEN type = 'PushEvent' THEN coalesce(c, 1)
    ELSE 0 END) AS commits,
  max(CASE WHEN type = 'PushEvent' AND c IS NULL THEN 1
    ELSE 0 END) AS commits_estimated
FROM (
  SELECT e.day AS day, e.actor_login AS actor_login, e.type AS type,
    coalesce(e.commits, p.commits) AS c
  FROM events AS e
  LEFT JOIN push_commits AS p ON e.commits IS NULL
    AND p.push_id = e.push_id AND p.head = e.head
) AS x
WHERE actor_login IS NOT NULL
  AND NOT (actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))
GROUP BY day, actor_login;
CREATE VIEW repos_more_than_ten_members_daily AS
SELECT day, repo_name, count(DISTINCT actor_login) AS members
FROM events
WHERE type = 'PushEvent' AND repo_name IS NOT NULL
  AND actor_login IS NOT NULL
  AND NOT (actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))
GROUP BY day, repo_name
HAVING count(DISTINCT actor_login) > 10;
CREATE VIEW devs_owning_multiple_repos AS
SELECT oa.actor_login AS actor_login, oa.repos_owned AS repos_owned,
  coalesce(c.repos_created, 0) AS repos_created
FROM (
  SELECT a.actor_login AS actor_login, o.repos_owned AS repos_owned
  FROM (
    SELECT DISTINCT actor_login, lower(actor_login) AS owner_lc
    FROM events
    WHERE actor_login IS NOT NULL
      AND NOT (actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))
  ) AS a
  JOIN (
    SELECT repo_owner_lc AS owner_lc,
      count(DISTINCT repo_name) AS repos_owned
    FROM events
    WHERE repo_owner_lc IS NOT NULL
    GROUP BY repo_owner_lc
    HAVING count(DISTINCT repo_name) > 1
  ) AS o ON a.owner_lc = o.owner_lc
) AS oa
LEFT JOIN (
  SELECT actor_login, count(DISTINCT repo_name) AS repos_created
  FROM events
  WHERE type = 'CreateEvent' AND ref_type = 'repository'
    AND actor_login IS NOT NULL
  GROUP BY actor_login
) AS c ON oa.actor_login = c.actor_login;
CREATE VIEW daily_summary AS
SELECT day, sum(events) AS events, sum(developers) AS developers,
  sum(devs_gt1_commit) AS devs_gt1_commit,
  sum(devs_lt1_commit) AS devs_lt1_commit,
  sum(repos_gt10_members) AS repos_gt10_members,
  max(commits_estimated) AS commits_estimated,
  max(hours_loaded) AS hours_loaded,
  max(hours_missing) AS hours_missing,
  max(hours_pending) AS hours_pending, max(final) AS final,
  sum(bots) AS bots,
  sum(pa) AS pushes_archive, sum(pg) AS pushes_git, sum(pp) AS pushes_api,
  sum(pr) AS pushes_rule, sum(pb) AS pushes_bounded
FROM (
  SELECT day, count(*) AS events, 0 AS developers,
    0 AS devs_gt1_commit, 0 AS devs_lt1_commit,
    0 AS repos_gt10_members, 0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots,
    0 AS pa, 0 AS pg, 0 AS pp, 0 AS pr, 0 AS pb
  FROM events
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, count(*) AS developers,
    sum(CASE WHEN commits > 1 THEN 1 ELSE 0 END) AS devs_gt1_commit,
    sum(CASE WHEN commits < 1 THEN 1 ELSE 0 END) AS devs_lt1_commit,
    0 AS repos_gt10_members,
    max(commits_estimated) AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots,
    0 AS pa, 0 AS pg, 0 AS pp, 0 AS pr, 0 AS pb
  FROM dev_daily
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, count(*) AS repos_gt10_members,
    0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots,
    0 AS pa, 0 AS pg, 0 AS pp, 0 AS pr, 0 AS pb
  FROM repos_more_than_ten_members_daily
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated, hours_loaded, hours_missing,
    hours_pending, final, 0 AS bots,
    0 AS pa, 0 AS pg, 0 AS pp, 0 AS pr, 0 AS pb
  FROM daily_coverage
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final,
    count(DISTINCT actor_login) AS bots,
    0 AS pa, 0 AS pg, 0 AS pp, 0 AS pr, 0 AS pb
  FROM events
  WHERE (actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))
  GROUP BY day
  UNION ALL
  SELECT e.day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots,
    sum(e.commits IS NOT NULL) AS pa,
    sum(e.commits IS NULL AND p.commits IS NOT NULL
      AND p.source = 'git') AS pg,
    sum(e.commits IS NULL AND p.commits IS NOT NULL
      AND p.source = 'api') AS pp,
    sum(e.commits IS NULL AND p.commits IS NOT NULL
      AND p.source = 'rule') AS pr,
    sum(e.commits IS NULL AND p.commits IS NULL) AS pb
  FROM events AS e
  LEFT JOIN push_commits AS p ON e.commits IS NULL
    AND p.push_id = e.push_id AND p.head = e.head
  WHERE e.type = 'PushEvent'
  GROUP BY e.day
) AS u
GROUP BY day;
