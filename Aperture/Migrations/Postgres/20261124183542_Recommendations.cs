using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Aperture.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Recommendations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "MoviePicksEnabled",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SeriesPicksEnabled",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "recommendation_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    JobRunId = table.Column<long>(type: "bigint", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    WatchedCount = table.Column<int>(type: "integer", nullable: false),
                    CandidateCount = table.Column<int>(type: "integer", nullable: false),
                    PickCount = table.Column<int>(type: "integer", nullable: false),
                    UsedCollaborative = table.Column<bool>(type: "boolean", nullable: false),
                    ModelKey = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Settings = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recommendation_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recommendation_runs_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "taste_profiles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Synopsis = table.Column<string>(type: "text", nullable: true),
                    SynopsisSource = table.Column<string>(type: "text", nullable: true),
                    GeneratedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_taste_profiles", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_taste_profiles_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "picks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    TitleId = table.Column<long>(type: "bigint", nullable: false),
                    Rank = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Similarity = table.Column<double>(type: "double precision", nullable: false),
                    Novelty = table.Column<double>(type: "double precision", nullable: false),
                    Rating = table.Column<double>(type: "double precision", nullable: false),
                    Popularity = table.Column<double>(type: "double precision", nullable: false),
                    Collaborative = table.Column<double>(type: "double precision", nullable: false),
                    Variety = table.Column<double>(type: "double precision", nullable: false),
                    MatchPercent = table.Column<int>(type: "integer", nullable: false),
                    MatchedGenres = table.Column<List<string>>(type: "text[]", nullable: false),
                    Explanation = table.Column<string>(type: "text", nullable: true),
                    ExplanationSource = table.Column<string>(type: "text", nullable: true),
                    Evidence = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_picks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_picks_recommendation_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "recommendation_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_picks_titles_TitleId",
                        column: x => x.TitleId,
                        principalTable: "titles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_picks_RunId",
                table: "picks",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_picks_TitleId",
                table: "picks",
                column: "TitleId");

            migrationBuilder.CreateIndex(
                name: "IX_picks_UserId_Kind_Rank",
                table: "picks",
                columns: new[] { "UserId", "Kind", "Rank" });

            migrationBuilder.CreateIndex(
                name: "IX_recommendation_runs_UserId_Kind_StartedAt",
                table: "recommendation_runs",
                columns: new[] { "UserId", "Kind", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "picks");

            migrationBuilder.DropTable(
                name: "taste_profiles");

            migrationBuilder.DropTable(
                name: "recommendation_runs");

            migrationBuilder.DropColumn(
                name: "MoviePicksEnabled",
                table: "users");

            migrationBuilder.DropColumn(
                name: "SeriesPicksEnabled",
                table: "users");
        }
    }
}
