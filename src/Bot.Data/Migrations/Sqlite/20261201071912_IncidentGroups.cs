using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bot.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IncidentGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "GroupedIntoId",
                table: "Incidents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IncidentGroups",
                columns: table => new
                {
                    TeamKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PrimaryId = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Turns = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentGroups", x => new { x.TeamKey, x.ServiceKey });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_GroupedIntoId",
                table: "Incidents",
                column: "GroupedIntoId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IncidentGroups");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_GroupedIntoId",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "GroupedIntoId",
                table: "Incidents");
        }
    }
}
