using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bot.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonIdentities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PersonIdentities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PersonKey = table.Column<string>(type: "character varying(64)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonIdentities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonIdentities_People_PersonKey",
                        column: x => x.PersonKey,
                        principalTable: "People",
                        principalColumn: "Key",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonIdentities_Channel_UserId",
                table: "PersonIdentities",
                columns: new[] { "Channel", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonIdentities_PersonKey_Channel",
                table: "PersonIdentities",
                columns: new[] { "PersonKey", "Channel" },
                unique: true);

            // Platform ids configured or learned before become identities per channel kind.
            migrationBuilder.Sql("""
                INSERT INTO "PersonIdentities" ("PersonKey", "Channel", "UserId")
                SELECT "Key", 'slack', "SlackUserId" FROM "People" WHERE "SlackUserId" IS NOT NULL AND "SlackUserId" <> '';
                INSERT INTO "PersonIdentities" ("PersonKey", "Channel", "UserId")
                SELECT "Key", 'teams', "TeamsAadObjectId" FROM "People" WHERE "TeamsAadObjectId" IS NOT NULL AND "TeamsAadObjectId" <> '';
                """);

            migrationBuilder.DropIndex(
                name: "IX_People_SlackUserId",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_TeamsAadObjectId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "SlackUserId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "TeamsAadObjectId",
                table: "People");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonIdentities");

            migrationBuilder.AddColumn<string>(
                name: "SlackUserId",
                table: "People",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TeamsAadObjectId",
                table: "People",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_People_SlackUserId",
                table: "People",
                column: "SlackUserId");

            migrationBuilder.CreateIndex(
                name: "IX_People_TeamsAadObjectId",
                table: "People",
                column: "TeamsAadObjectId");
        }
    }
}
