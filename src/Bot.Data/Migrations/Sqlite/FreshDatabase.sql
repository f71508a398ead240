CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

CREATE TABLE "ConversationEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ConversationEntries" PRIMARY KEY AUTOINCREMENT,
    "Channel" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "AuthorKey" TEXT NULL,
    "VisibleTo" TEXT NULL,
    "Body" TEXT NOT NULL,
    "FormState" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "Revision" INTEGER NOT NULL
);

CREATE TABLE "Escalations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Escalations" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "Summary" TEXT NOT NULL,
    "ServiceKey" TEXT NULL,
    "TeamKey" TEXT NOT NULL,
    "Impact" TEXT NOT NULL,
    "Urgency" TEXT NOT NULL,
    "Tried" TEXT NULL,
    "Channel" TEXT NOT NULL,
    "RaisedInConversation" TEXT NOT NULL,
    "RaisedByUserId" TEXT NOT NULL,
    "RaisedByName" TEXT NOT NULL,
    "RaisedByKey" TEXT NULL,
    "RaisedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Level" INTEGER NOT NULL,
    "LastEscalatedAt" INTEGER NULL,
    "AcknowledgedByName" TEXT NULL,
    "AcknowledgedByKey" TEXT NULL,
    "AcknowledgedAt" INTEGER NULL,
    "ResolvedByName" TEXT NULL,
    "ResolvedAt" INTEGER NULL,
    "Outcome" TEXT NULL,
    "Responders" TEXT NOT NULL,
    "AnnouncementConversation" TEXT NULL,
    "AnnouncementMessageId" TEXT NULL
);

CREATE TABLE "People" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_People" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Email" TEXT NULL,
    "TimeZone" TEXT NOT NULL,
    "SlackUserId" TEXT NULL,
    "TeamsAadObjectId" TEXT NULL
);

CREATE TABLE "Reminders" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Reminders" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "SubjectId" INTEGER NOT NULL,
    "Argument" TEXT NULL,
    "DedupeKey" TEXT NULL,
    "DueAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ClaimedAt" INTEGER NULL,
    "CompletedAt" INTEGER NULL,
    "Attempts" INTEGER NOT NULL,
    "LastError" TEXT NULL
);

CREATE TABLE "Services" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Services" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "TeamKey" TEXT NOT NULL
);

CREATE TABLE "Teams" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Teams" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "TimeZone" TEXT NOT NULL,
    "Members" TEXT NOT NULL,
    "Managers" TEXT NOT NULL,
    "Channels" TEXT NOT NULL,
    "OnCall" TEXT NOT NULL,
    "EscalationPath" TEXT NOT NULL,
    "AckTimeouts" TEXT NOT NULL
);

CREATE TABLE "EscalationEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_EscalationEvents" PRIMARY KEY AUTOINCREMENT,
    "EscalationId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    CONSTRAINT "FK_EscalationEvents_Escalations_EscalationId" FOREIGN KEY ("EscalationId") REFERENCES "Escalations" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ConversationEntries_Channel_ConversationId_Id" ON "ConversationEntries" ("Channel", "ConversationId", "Id");

CREATE INDEX "IX_EscalationEvents_EscalationId" ON "EscalationEvents" ("EscalationId");

CREATE INDEX "IX_Escalations_TeamKey_Status" ON "Escalations" ("TeamKey", "Status");

CREATE INDEX "IX_People_Email" ON "People" ("Email");

CREATE INDEX "IX_People_SlackUserId" ON "People" ("SlackUserId");

CREATE INDEX "IX_People_TeamsAadObjectId" ON "People" ("TeamsAadObjectId");

CREATE UNIQUE INDEX "IX_Reminders_DedupeKey" ON "Reminders" ("DedupeKey");

CREATE INDEX "IX_Reminders_Kind_SubjectId" ON "Reminders" ("Kind", "SubjectId");

CREATE INDEX "IX_Reminders_Status_DueAt" ON "Reminders" ("Status", "DueAt");

CREATE INDEX "IX_Services_TeamKey" ON "Services" ("TeamKey");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126235759_Initial', '10.0.15');

CREATE TABLE "InboundDeliveries" (
    "Source" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "ReceivedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_InboundDeliveries" PRIMARY KEY ("Source", "Key")
);

CREATE INDEX "IX_InboundDeliveries_ReceivedAt" ON "InboundDeliveries" ("ReceivedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127005506_InboundDeliveries', '10.0.15');

CREATE TABLE "StoredConversations" (
    "Channel" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ServiceUrl" TEXT NULL,
    "TenantId" TEXT NULL,
    "TeamId" TEXT NULL,
    "Name" TEXT NULL,
    "Active" INTEGER NOT NULL,
    "Unavailable" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_StoredConversations" PRIMARY KEY ("Channel", "ConversationId")
);

CREATE TABLE "StoredUsers" (
    "Channel" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "PlatformId" TEXT NULL,
    "Name" TEXT NULL,
    "ServiceUrl" TEXT NULL,
    "TenantId" TEXT NULL,
    "DirectConversationId" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_StoredUsers" PRIMARY KEY ("Channel", "UserId")
);

CREATE INDEX "IX_StoredConversations_Channel_UpdatedAt" ON "StoredConversations" ("Channel", "UpdatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127025132_StoredAddresses', '10.0.15');

CREATE TABLE "Deployments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deployments" PRIMARY KEY,
    "Service" TEXT NOT NULL,
    "ServiceKey" TEXT NULL,
    "Version" TEXT NOT NULL,
    "DeployedAt" INTEGER NOT NULL,
    "Outcome" TEXT NOT NULL,
    "ReceivedAt" INTEGER NOT NULL
);

CREATE TABLE "Incidents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Incidents" PRIMARY KEY AUTOINCREMENT,
    "Source" TEXT NOT NULL,
    "ExternalId" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Impact" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "ServiceKey" TEXT NULL,
    "TeamKey" TEXT NULL,
    "Url" TEXT NULL,
    "DeploymentId" TEXT NULL,
    "OpenedAt" INTEGER NOT NULL,
    "AcknowledgedAt" INTEGER NULL,
    "AcknowledgedBy" TEXT NULL,
    "ResolvedAt" INTEGER NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "LastReportedAt" INTEGER NOT NULL,
    "Links" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "IncidentEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_IncidentEvents" PRIMARY KEY AUTOINCREMENT,
    "IncidentId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    CONSTRAINT "FK_IncidentEvents_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Deployments_ServiceKey_DeployedAt" ON "Deployments" ("ServiceKey", "DeployedAt");

CREATE INDEX "IX_IncidentEvents_IncidentId" ON "IncidentEvents" ("IncidentId");

CREATE UNIQUE INDEX "IX_Incidents_Source_ExternalId" ON "Incidents" ("Source", "ExternalId");

CREATE INDEX "IX_Incidents_TeamKey_Status" ON "Incidents" ("TeamKey", "Status");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127043001_Incidents', '10.0.15');

ALTER TABLE "Teams" ADD "ResponsePlanArn" TEXT NULL;

ALTER TABLE "Incidents" ADD "EscalationId" INTEGER NULL;

ALTER TABLE "Incidents" ADD "ReviewRequestedAt" INTEGER NULL;

ALTER TABLE "Escalations" ADD "IncidentId" INTEGER NULL;

CREATE TABLE "IncidentPosts" (
    "IncidentId" INTEGER NOT NULL,
    "Channel" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "MessageId" TEXT NOT NULL,
    CONSTRAINT "PK_IncidentPosts" PRIMARY KEY ("IncidentId", "Channel", "Purpose"),
    CONSTRAINT "FK_IncidentPosts_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SyncCursors" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_SyncCursors" PRIMARY KEY,
    "Value" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127045524_IncidentsInChat', '10.0.15');

CREATE TABLE "LivingCards" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LivingCards" PRIMARY KEY AUTOINCREMENT,
    "Subject" TEXT NOT NULL,
    "SubjectId" INTEGER NOT NULL,
    "Purpose" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "MessageId" TEXT NOT NULL,
    "ClaimedAt" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_LivingCards_Subject_SubjectId_Purpose_Channel" ON "LivingCards" ("Subject", "SubjectId", "Purpose", "Channel");

INSERT INTO "LivingCards" ("Subject", "SubjectId", "Purpose", "Channel", "ConversationId", "MessageId", "ClaimedAt")
SELECT 'incident', "IncidentId", "Purpose", "Channel", "ConversationId", "MessageId", 0 FROM "IncidentPosts";
INSERT INTO "LivingCards" ("Subject", "SubjectId", "Purpose", "Channel", "ConversationId", "MessageId", "ClaimedAt")
SELECT 'escalation', "Id", 'card', "Channel", "AnnouncementConversation", "AnnouncementMessageId", 0 FROM "Escalations"
WHERE "AnnouncementMessageId" IS NOT NULL AND "AnnouncementConversation" IS NOT NULL;

DROP TABLE "IncidentPosts";

CREATE TABLE "ef_temp_Escalations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Escalations" PRIMARY KEY AUTOINCREMENT,
    "AcknowledgedAt" INTEGER NULL,
    "AcknowledgedByKey" TEXT NULL,
    "AcknowledgedByName" TEXT NULL,
    "Channel" TEXT NOT NULL,
    "Impact" TEXT NOT NULL,
    "IncidentId" INTEGER NULL,
    "LastEscalatedAt" INTEGER NULL,
    "Level" INTEGER NOT NULL,
    "Outcome" TEXT NULL,
    "RaisedAt" INTEGER NOT NULL,
    "RaisedByKey" TEXT NULL,
    "RaisedByName" TEXT NOT NULL,
    "RaisedByUserId" TEXT NOT NULL,
    "RaisedInConversation" TEXT NOT NULL,
    "ResolvedAt" INTEGER NULL,
    "ResolvedByName" TEXT NULL,
    "Responders" TEXT NOT NULL,
    "ServiceKey" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "TeamKey" TEXT NOT NULL,
    "Tried" TEXT NULL,
    "Urgency" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

INSERT INTO "ef_temp_Escalations" ("Id", "AcknowledgedAt", "AcknowledgedByKey", "AcknowledgedByName", "Channel", "Impact", "IncidentId", "LastEscalatedAt", "Level", "Outcome", "RaisedAt", "RaisedByKey", "RaisedByName", "RaisedByUserId", "RaisedInConversation", "ResolvedAt", "ResolvedByName", "Responders", "ServiceKey", "Status", "Summary", "TeamKey", "Tried", "Urgency", "Version")
SELECT "Id", "AcknowledgedAt", "AcknowledgedByKey", "AcknowledgedByName", "Channel", "Impact", "IncidentId", "LastEscalatedAt", "Level", "Outcome", "RaisedAt", "RaisedByKey", "RaisedByName", "RaisedByUserId", "RaisedInConversation", "ResolvedAt", "ResolvedByName", "Responders", "ServiceKey", "Status", "Summary", "TeamKey", "Tried", "Urgency", "Version"
FROM "Escalations";

PRAGMA foreign_keys = 0;

DROP TABLE "Escalations";

ALTER TABLE "ef_temp_Escalations" RENAME TO "Escalations";

PRAGMA foreign_keys = 1;

CREATE INDEX "IX_Escalations_TeamKey_Status" ON "Escalations" ("TeamKey", "Status");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130202104_LivingCards', '10.0.15');

ALTER TABLE "Reminders" ADD "EventId" INTEGER NULL;

CREATE TABLE "FeatureEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_FeatureEvents" PRIMARY KEY AUTOINCREMENT,
    "Type" TEXT NOT NULL,
    "SubjectId" INTEGER NOT NULL,
    "Payload" TEXT NOT NULL,
    "OccurredAt" INTEGER NOT NULL
);

CREATE INDEX "IX_Reminders_EventId" ON "Reminders" ("EventId");

CREATE INDEX "IX_FeatureEvents_Type_SubjectId" ON "FeatureEvents" ("Type", "SubjectId");

CREATE TABLE "ef_temp_Reminders" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Reminders" PRIMARY KEY AUTOINCREMENT,
    "Argument" TEXT NULL,
    "Attempts" INTEGER NOT NULL,
    "ClaimedAt" INTEGER NULL,
    "CompletedAt" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DedupeKey" TEXT NULL,
    "DueAt" INTEGER NOT NULL,
    "EventId" INTEGER NULL,
    "Kind" TEXT NOT NULL,
    "LastError" TEXT NULL,
    "Status" TEXT NOT NULL,
    "SubjectId" INTEGER NOT NULL,
    CONSTRAINT "FK_Reminders_FeatureEvents_EventId" FOREIGN KEY ("EventId") REFERENCES "FeatureEvents" ("Id") ON DELETE CASCADE
);

INSERT INTO "ef_temp_Reminders" ("Id", "Argument", "Attempts", "ClaimedAt", "CompletedAt", "CreatedAt", "DedupeKey", "DueAt", "EventId", "Kind", "LastError", "Status", "SubjectId")
SELECT "Id", "Argument", "Attempts", "ClaimedAt", "CompletedAt", "CreatedAt", "DedupeKey", "DueAt", "EventId", "Kind", "LastError", "Status", "SubjectId"
FROM "Reminders";

PRAGMA foreign_keys = 0;

DROP TABLE "Reminders";

ALTER TABLE "ef_temp_Reminders" RENAME TO "Reminders";

PRAGMA foreign_keys = 1;

CREATE UNIQUE INDEX "IX_Reminders_DedupeKey" ON "Reminders" ("DedupeKey");

CREATE INDEX "IX_Reminders_EventId" ON "Reminders" ("EventId");

CREATE INDEX "IX_Reminders_Kind_SubjectId" ON "Reminders" ("Kind", "SubjectId");

CREATE INDEX "IX_Reminders_Status_DueAt" ON "Reminders" ("Status", "DueAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130202723_FeatureEvents', '10.0.15');

CREATE TABLE "ef_temp_Teams" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Teams" PRIMARY KEY,
    "Channels" TEXT NOT NULL,
    "Managers" TEXT NOT NULL,
    "Members" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "OnCall" TEXT NOT NULL,
    "TimeZone" TEXT NOT NULL
);

INSERT INTO "ef_temp_Teams" ("Key", "Channels", "Managers", "Members", "Name", "OnCall", "TimeZone")
SELECT "Key", "Channels", "Managers", "Members", "Name", "OnCall", "TimeZone"
FROM "Teams";

PRAGMA foreign_keys = 0;

DROP TABLE "Teams";

ALTER TABLE "ef_temp_Teams" RENAME TO "Teams";

PRAGMA foreign_keys = 1;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130203616_TeamSettingsByFeature', '10.0.15');

CREATE TABLE "PersonIdentities" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PersonIdentities" PRIMARY KEY AUTOINCREMENT,
    "Channel" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "PersonKey" TEXT NOT NULL,
    CONSTRAINT "FK_PersonIdentities_People_PersonKey" FOREIGN KEY ("PersonKey") REFERENCES "People" ("Key") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_PersonIdentities_Channel_UserId" ON "PersonIdentities" ("Channel", "UserId");

CREATE UNIQUE INDEX "IX_PersonIdentities_PersonKey_Channel" ON "PersonIdentities" ("PersonKey", "Channel");

INSERT INTO "PersonIdentities" ("PersonKey", "Channel", "UserId")
SELECT "Key", 'slack', "SlackUserId" FROM "People" WHERE "SlackUserId" IS NOT NULL AND "SlackUserId" <> '';
INSERT INTO "PersonIdentities" ("PersonKey", "Channel", "UserId")
SELECT "Key", 'teams', "TeamsAadObjectId" FROM "People" WHERE "TeamsAadObjectId" IS NOT NULL AND "TeamsAadObjectId" <> '';

DROP INDEX "IX_People_SlackUserId";

DROP INDEX "IX_People_TeamsAadObjectId";

CREATE TABLE "ef_temp_People" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_People" PRIMARY KEY,
    "Email" TEXT NULL,
    "Name" TEXT NOT NULL,
    "TimeZone" TEXT NOT NULL
);

INSERT INTO "ef_temp_People" ("Key", "Email", "Name", "TimeZone")
SELECT "Key", "Email", "Name", "TimeZone"
FROM "People";

PRAGMA foreign_keys = 0;

DROP TABLE "People";

ALTER TABLE "ef_temp_People" RENAME TO "People";

PRAGMA foreign_keys = 1;

CREATE INDEX "IX_People_Email" ON "People" ("Email");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130204453_PersonIdentities', '10.0.15');

ALTER TABLE "Escalations" ADD "IncidentRequestedAt" INTEGER NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130210649_IncidentRequests', '10.0.15');

ALTER TABLE "Incidents" ADD "ReviewCompletedAt" INTEGER NULL;

ALTER TABLE "Incidents" ADD "ReviewId" INTEGER NULL;

ALTER TABLE "Incidents" ADD "ReviewOfferedAt" INTEGER NULL;

ALTER TABLE "Escalations" ADD "OutcomeKind" TEXT NULL;

CREATE TABLE "Reviews" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Reviews" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "IncidentId" INTEGER NULL,
    "EscalationId" INTEGER NULL,
    "TeamKey" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Impact" INTEGER NULL,
    "OwnerKey" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "TemplateName" TEXT NOT NULL,
    "TemplateVersion" INTEGER NOT NULL,
    "Sections" TEXT NOT NULL,
    "ResolvedAt" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "StartedBy" TEXT NOT NULL,
    "DueAt" INTEGER NOT NULL,
    "CompletedAt" INTEGER NULL,
    "CompletedBy" TEXT NULL
);

CREATE TABLE "ActionItems" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ActionItems" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "ReviewId" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "OwnerKey" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Note" TEXT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ClosedAt" INTEGER NULL,
    "PushedBack" INTEGER NOT NULL,
    CONSTRAINT "FK_ActionItems_Reviews_ReviewId" FOREIGN KEY ("ReviewId") REFERENCES "Reviews" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ReviewContributions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ReviewContributions" PRIMARY KEY AUTOINCREMENT,
    "ReviewId" INTEGER NOT NULL,
    "Section" TEXT NOT NULL,
    "By" TEXT NOT NULL,
    "ByName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Tags" TEXT NOT NULL,
    "Notes" TEXT NOT NULL,
    CONSTRAINT "FK_ReviewContributions_Reviews_ReviewId" FOREIGN KEY ("ReviewId") REFERENCES "Reviews" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ReviewTimeline" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ReviewTimeline" PRIMARY KEY AUTOINCREMENT,
    "ReviewId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "SourceId" TEXT NULL,
    "Edited" INTEGER NOT NULL,
    "AddedBy" TEXT NULL,
    "AddedByName" TEXT NULL,
    CONSTRAINT "FK_ReviewTimeline_Reviews_ReviewId" FOREIGN KEY ("ReviewId") REFERENCES "Reviews" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ActionItems_OwnerKey_Status" ON "ActionItems" ("OwnerKey", "Status");

CREATE INDEX "IX_ActionItems_ReviewId" ON "ActionItems" ("ReviewId");

CREATE UNIQUE INDEX "IX_ReviewContributions_ReviewId_Section_By" ON "ReviewContributions" ("ReviewId", "Section", "By");

CREATE UNIQUE INDEX "IX_Reviews_EscalationId" ON "Reviews" ("EscalationId");

CREATE UNIQUE INDEX "IX_Reviews_IncidentId" ON "Reviews" ("IncidentId");

CREATE INDEX "IX_Reviews_OwnerKey_Status" ON "Reviews" ("OwnerKey", "Status");

CREATE INDEX "IX_Reviews_TeamKey_Status" ON "Reviews" ("TeamKey", "Status");

CREATE INDEX "IX_ReviewTimeline_ReviewId_Source_SourceId" ON "ReviewTimeline" ("ReviewId", "Source", "SourceId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130230143_Reviews', '10.0.15');

CREATE TABLE "Experiments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Experiments" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "TeamKey" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Hypothesis" TEXT NOT NULL,
    "Metric" TEXT NOT NULL,
    "Threshold" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Radius" TEXT NOT NULL,
    "StartsOn" TEXT NOT NULL,
    "EndsOn" TEXT NOT NULL,
    "Rollback" TEXT NULL,
    "SponsorKey" TEXT NULL,
    "Link" TEXT NULL,
    "From" TEXT NULL,
    "ProposerKey" TEXT NOT NULL,
    "ProposerName" TEXT NOT NULL,
    "ProposedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "DecidedBy" TEXT NULL,
    "ChangesNote" TEXT NULL,
    "Outcome" TEXT NULL,
    "Result" TEXT NULL,
    "Learning" TEXT NULL,
    "ConcludedAt" INTEGER NULL
);

CREATE TABLE "ExperimentConcerns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ExperimentConcerns" PRIMARY KEY AUTOINCREMENT,
    "ExperimentId" INTEGER NOT NULL,
    "ByKey" TEXT NOT NULL,
    "ByName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    CONSTRAINT "FK_ExperimentConcerns_Experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "Experiments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ExperimentParticipants" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ExperimentParticipants" PRIMARY KEY AUTOINCREMENT,
    "ExperimentId" INTEGER NOT NULL,
    "PersonKey" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_ExperimentParticipants_Experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "Experiments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ExperimentTransitions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ExperimentTransitions" PRIMARY KEY AUTOINCREMENT,
    "ExperimentId" INTEGER NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "By" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_ExperimentTransitions_Experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "Experiments" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ExperimentConcerns_ExperimentId" ON "ExperimentConcerns" ("ExperimentId");

CREATE UNIQUE INDEX "IX_ExperimentParticipants_ExperimentId_PersonKey_Role" ON "ExperimentParticipants" ("ExperimentId", "PersonKey", "Role");

CREATE INDEX "IX_Experiments_TeamKey_Status" ON "Experiments" ("TeamKey", "Status");

CREATE INDEX "IX_ExperimentTransitions_ExperimentId" ON "ExperimentTransitions" ("ExperimentId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130233523_Experiments', '10.0.15');

CREATE TABLE "CheckIns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CheckIns" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "TeamKey" TEXT NOT NULL,
    "PersonKey" TEXT NOT NULL,
    "ShiftStartedAt" INTEGER NOT NULL,
    "ShiftEndedAt" INTEGER NOT NULL,
    "AskedAt" INTEGER NOT NULL,
    "AnsweredAt" INTEGER NULL,
    "Load" INTEGER NULL,
    "SleepInterrupted" INTEGER NULL,
    "WhatHurt" TEXT NULL,
    "Shared" INTEGER NOT NULL
);

CREATE TABLE "DigestItems" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DigestItems" PRIMARY KEY AUTOINCREMENT,
    "TeamKey" TEXT NOT NULL,
    "WeekKey" INTEGER NOT NULL,
    "Rule" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "DigestResponses" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DigestResponses" PRIMARY KEY AUTOINCREMENT,
    "ItemId" INTEGER NOT NULL,
    "PersonKey" TEXT NOT NULL,
    "PersonName" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_DigestResponses_DigestItems_ItemId" FOREIGN KEY ("ItemId") REFERENCES "DigestItems" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_CheckIns_TeamKey_ShiftEndedAt" ON "CheckIns" ("TeamKey", "ShiftEndedAt");

CREATE UNIQUE INDEX "IX_DigestItems_TeamKey_WeekKey_Rule" ON "DigestItems" ("TeamKey", "WeekKey", "Rule");

CREATE UNIQUE INDEX "IX_DigestResponses_ItemId_PersonKey_Kind" ON "DigestResponses" ("ItemId", "PersonKey", "Kind");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201012030_CheckInsAndDigestItems', '10.0.15');

CREATE INDEX "IX_Reviews_TeamKey_CompletedAt" ON "Reviews" ("TeamKey", "CompletedAt");

CREATE INDEX "IX_Reviews_TeamKey_DueAt" ON "Reviews" ("TeamKey", "DueAt");

CREATE INDEX "IX_Incidents_DeploymentId" ON "Incidents" ("DeploymentId");

CREATE INDEX "IX_Incidents_TeamKey_OpenedAt" ON "Incidents" ("TeamKey", "OpenedAt");

CREATE INDEX "IX_ExperimentTransitions_To_At" ON "ExperimentTransitions" ("To", "At");

CREATE INDEX "IX_Experiments_TeamKey_ConcludedAt" ON "Experiments" ("TeamKey", "ConcludedAt");

CREATE INDEX "IX_Experiments_TeamKey_ProposedAt" ON "Experiments" ("TeamKey", "ProposedAt");

CREATE INDEX "IX_Escalations_TeamKey_RaisedAt" ON "Escalations" ("TeamKey", "RaisedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201015440_DigestIndexes', '10.0.15');

CREATE TABLE "DirectoryVersions" (
    "Hash" TEXT NOT NULL CONSTRAINT "PK_DirectoryVersions" PRIMARY KEY,
    "Revision" INTEGER NULL,
    "FirstSeenAt" INTEGER NOT NULL,
    "SeededAt" INTEGER NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201043406_DirectoryVersions', '10.0.15');

ALTER TABLE "Incidents" ADD "GroupedIntoId" INTEGER NULL;

CREATE TABLE "IncidentGroups" (
    "TeamKey" TEXT NOT NULL,
    "ServiceKey" TEXT NOT NULL,
    "PrimaryId" INTEGER NULL,
    "StartedAt" INTEGER NOT NULL,
    "Turns" INTEGER NOT NULL,
    CONSTRAINT "PK_IncidentGroups" PRIMARY KEY ("TeamKey", "ServiceKey")
);

CREATE INDEX "IX_Incidents_GroupedIntoId" ON "Incidents" ("GroupedIntoId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201071912_IncidentGroups', '10.0.15');

ALTER TABLE "Escalations" ADD "SourceThread" TEXT NULL;

ALTER TABLE "Escalations" ADD "SourceUrl" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201082544_EscalationSourceMessage', '10.0.15');

CREATE TABLE "ProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Xml" TEXT NOT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201105352_ProtectionKeys', '10.0.15');

