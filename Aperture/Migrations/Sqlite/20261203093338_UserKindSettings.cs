using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aperture.Migrations.Sqlite
{
    // Per-user tuning moves from one column per kind (user_preferences.MovieTuning, SeriesTuning) to one row per kind
    // (user_kind_settings), carrying every saved value over.
    /// <inheritdoc />
    public partial class UserKindSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "user_kind_settings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Tuning = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_kind_settings", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_user_kind_settings_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Each user's saved tuning moves over as it is (unreadable text too: only the user's own save replaces it).
            migrationBuilder.Sql("""
                INSERT INTO "user_kind_settings" ("UserId", "Kind", "Tuning")
                SELECT "UserId", 1, "MovieTuning" FROM "user_preferences" WHERE "MovieTuning" IS NOT NULL AND "MovieTuning" <> ''
                """);
            migrationBuilder.Sql("""
                INSERT INTO "user_kind_settings" ("UserId", "Kind", "Tuning")
                SELECT "UserId", 2, "SeriesTuning" FROM "user_preferences" WHERE "SeriesTuning" IS NOT NULL AND "SeriesTuning" <> ''
                """);

            // SQLite drops a plain column in place (3.35+). EF's DropColumn rebuilds the table instead, with a
            // `PRAGMA foreign_keys` that cannot run in the migration's transaction: a kill at that point would leave a
            // half-applied migration, and every start from an empty database logged a warning saying so.
            migrationBuilder.Sql("""ALTER TABLE "user_preferences" DROP COLUMN "MovieTuning";""");
            migrationBuilder.Sql("""ALTER TABLE "user_preferences" DROP COLUMN "SeriesTuning";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MovieTuning",
                table: "user_preferences",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeriesTuning",
                table: "user_preferences",
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("""
                INSERT INTO "user_preferences" ("UserId", "FavoriteWriteBack")
                SELECT DISTINCT "UserId", 0 FROM "user_kind_settings" k
                WHERE NOT EXISTS (SELECT 1 FROM "user_preferences" p WHERE p."UserId" = k."UserId")
                """);
            migrationBuilder.Sql("""
                UPDATE "user_preferences" SET
                    "MovieTuning" = (SELECT k."Tuning" FROM "user_kind_settings" k WHERE k."UserId" = "user_preferences"."UserId" AND k."Kind" = 1),
                    "SeriesTuning" = (SELECT k."Tuning" FROM "user_kind_settings" k WHERE k."UserId" = "user_preferences"."UserId" AND k."Kind" = 2)
                """);

            migrationBuilder.DropTable(
                name: "user_kind_settings");
        }
    }
}
