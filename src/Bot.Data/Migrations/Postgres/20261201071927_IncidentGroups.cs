using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bot.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IncidentGroups",
                columns: table => new
                {
                    TeamKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServiceKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PrimaryId = table.Column<long>(type: "bigint", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Turns = table.Column<long>(type: "bigint", nullable: false)
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
