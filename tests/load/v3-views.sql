-- The metric views of schema version 3 (gha-load 0.1 before the
-- aggregates), the reference of the metrics: tests/load/migrate.sh makes a
-- version 3 file with them.  dev_daily's two readers are unchanged in
-- version 4.  Since version 6 they leave bots out: a login ending in [bot]
-- (LIKE ignores ASCII case) or one of bot_logins (lower-cased); the
-- events keep them, and daily_summary counts them in its last column.
CREATE VIEW dev_daily AS
SELECT day, actor_login,
  count(*) AS events,
  sum(CASE WHEN type = 'PushEvent' THEN 1 ELSE 0 END) AS pushes,
  sum(CASE WHEN type = 'PushEvent' THEN coalesce(commits, 1)
    ELSE 0 END) AS commits,
  max(CASE WHEN type = 'PushEvent' AND commits IS NULL THEN 1
    ELSE 0 END) AS commits_estimated
FROM events
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
  sum(bots) AS bots
FROM (
  SELECT day, count(*) AS events, 0 AS developers,
    0 AS devs_gt1_commit, 0 AS devs_lt1_commit,
    0 AS repos_gt10_members, 0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots
  FROM events
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, count(*) AS developers,
    sum(CASE WHEN commits > 1 THEN 1 ELSE 0 END) AS devs_gt1_commit,
    sum(CASE WHEN commits < 1 THEN 1 ELSE 0 END) AS devs_lt1_commit,
    0 AS repos_gt10_members,
    max(commits_estimated) AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots
  FROM dev_daily
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, count(*) AS repos_gt10_members,
    0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final, 0 AS bots
  FROM repos_more_than_ten_members_daily
  GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated, hours_loaded, hours_missing,
    hours_pending, final, 0 AS bots
  FROM daily_coverage
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final,
    count(DISTINCT actor_login) AS bots
  FROM events
  WHERE (actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))
  GROUP BY day
) AS u
GROUP BY day;
