using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bot.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LivingCards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LivingCards",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Subject = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SubjectId = table.Column<long>(type: "bigint", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ConversationId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LivingCards", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LivingCards_Subject_SubjectId_Purpose_Channel",
                table: "LivingCards",
                columns: new[] { "Subject", "SubjectId", "Purpose", "Channel" },
                unique: true);

            // Cards posted before this migration stay known: an incident's card and review prompt, an escalation's message.
            migrationBuilder.Sql("""
                INSERT INTO "LivingCards" ("Subject", "SubjectId", "Purpose", "Channel", "ConversationId", "MessageId", "ClaimedAt")
                SELECT 'incident', "IncidentId", "Purpose", "Channel", "ConversationId", "MessageId", TIMESTAMPTZ '2000-01-01 00:00:00+00' FROM "IncidentPosts";
                INSERT INTO "LivingCards" ("Subject", "SubjectId", "Purpose", "Channel", "ConversationId", "MessageId", "ClaimedAt")
                SELECT 'escalation', "Id", 'card', "Channel", "AnnouncementConversation", "AnnouncementMessageId", TIMESTAMPTZ '2000-01-01 00:00:00+00' FROM "Escalations"
                WHERE "AnnouncementMessageId" IS NOT NULL AND "AnnouncementConversation" IS NOT NULL;
                """);

            migrationBuilder.DropTable(
                name: "IncidentPosts");

            migrationBuilder.DropColumn(
                name: "AnnouncementConversation",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "AnnouncementMessageId",
                table: "Escalations");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LivingCards");

            migrationBuilder.AddColumn<string>(
                name: "AnnouncementConversation",
                table: "Escalations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AnnouncementMessageId",
                table: "Escalations",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IncidentPosts",
                columns: table => new
                {
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ConversationId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentPosts", x => new { x.IncidentId, x.Channel, x.Purpose });
                    table.ForeignKey(
                        name: "FK_IncidentPosts_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }
    }
}
