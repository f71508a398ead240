using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bot.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CheckInsAndDigestItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckIns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    TeamKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PersonKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ShiftStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ShiftEndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AskedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Load = table.Column<int>(type: "integer", nullable: true),
                    SleepInterrupted = table.Column<bool>(type: "boolean", nullable: true),
                    WhatHurt = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Shared = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckIns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DigestItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TeamKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    WeekKey = table.Column<long>(type: "bigint", nullable: false),
                    Rule = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DigestItems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DigestResponses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ItemId = table.Column<long>(type: "bigint", nullable: false),
                    PersonKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PersonName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DigestResponses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DigestResponses_DigestItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "DigestItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CheckIns_TeamKey_ShiftEndedAt",
                table: "CheckIns",
                columns: new[] { "TeamKey", "ShiftEndedAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DigestItems_TeamKey_WeekKey_Rule",
                table: "DigestItems",
                columns: new[] { "TeamKey", "WeekKey", "Rule" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DigestResponses_ItemId_PersonKey_Kind",
                table: "DigestResponses",
                columns: new[] { "ItemId", "PersonKey", "Kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckIns");

            migrationBuilder.DropTable(
                name: "DigestResponses");

            migrationBuilder.DropTable(
                name: "DigestItems");
        }
    }
}
