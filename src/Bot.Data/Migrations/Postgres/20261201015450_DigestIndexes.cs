using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bot.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DigestIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Reviews_TeamKey_CompletedAt",
                table: "Reviews",
                columns: new[] { "TeamKey", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_TeamKey_DueAt",
                table: "Reviews",
                columns: new[] { "TeamKey", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_DeploymentId",
                table: "Incidents",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_TeamKey_OpenedAt",
                table: "Incidents",
                columns: new[] { "TeamKey", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExperimentTransitions_To_At",
                table: "ExperimentTransitions",
                columns: new[] { "To", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Experiments_TeamKey_ConcludedAt",
                table: "Experiments",
                columns: new[] { "TeamKey", "ConcludedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Experiments_TeamKey_ProposedAt",
                table: "Experiments",
                columns: new[] { "TeamKey", "ProposedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_TeamKey_RaisedAt",
                table: "Escalations",
                columns: new[] { "TeamKey", "RaisedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reviews_TeamKey_CompletedAt",
                table: "Reviews");

            migrationBuilder.DropIndex(
                name: "IX_Reviews_TeamKey_DueAt",
                table: "Reviews");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_DeploymentId",
                table: "Incidents");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_TeamKey_OpenedAt",
                table: "Incidents");

            migrationBuilder.DropIndex(
                name: "IX_ExperimentTransitions_To_At",
                table: "ExperimentTransitions");

            migrationBuilder.DropIndex(
                name: "IX_Experiments_TeamKey_ConcludedAt",
                table: "Experiments");

            migrationBuilder.DropIndex(
                name: "IX_Experiments_TeamKey_ProposedAt",
                table: "Experiments");

            migrationBuilder.DropIndex(
                name: "IX_Escalations_TeamKey_RaisedAt",
                table: "Escalations");
        }
    }
}
