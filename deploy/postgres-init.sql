-- One database per service: each owns its tables; migrations run at each service's boot.
CREATE DATABASE nwd_referral;
CREATE DATABASE nwd_directory;
CREATE DATABASE nwd_consent;
CREATE DATABASE nwd_notifications;
CREATE DATABASE nwd_reporting;
