-- One database per registry: each subgraph owns its data and reaches no other registry's tables.
create database persons;
create database applications;
create database payments;
create database permits;
-- The gateway's audit log of personal data access.
create database audit;
