using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bot.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TeamSettingsByFeature : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AckTimeouts",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "EscalationPath",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "ResponsePlanArn",
                table: "Teams");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AckTimeouts",
                table: "Teams",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EscalationPath",
                table: "Teams",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ResponsePlanArn",
                table: "Teams",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);
        }
    }
}
