-- One database per registry: each subgraph owns its data and reaches no other registry's tables.
create database persons;
create database applications;
create database payments;
create database permits;
-- The gateway's audit log of personal data access.
create database audit;
-- The gateways' shared rate budget (rate-limiter-flexible's RateLimiterPostgres makes its table there).
create database ratelimit;
