using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aperture.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserPicksKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The twin columns become one set of kinds (bit 1 movies, bit 2 series); every user keeps their switches.
            migrationBuilder.AddColumn<int>(
                name: "PicksKinds",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""
                UPDATE users SET "PicksKinds" = (CASE WHEN "MoviePicksEnabled" <> 0 THEN 1 ELSE 0 END) + (CASE WHEN "SeriesPicksEnabled" <> 0 THEN 2 ELSE 0 END);
                """);

            migrationBuilder.DropColumn(
                name: "MoviePicksEnabled",
                table: "users");

            migrationBuilder.DropColumn(
                name: "SeriesPicksEnabled",
                table: "users");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "MoviePicksEnabled",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SeriesPicksEnabled",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("""
                UPDATE users SET "MoviePicksEnabled" = ("PicksKinds" & 1) <> 0, "SeriesPicksEnabled" = ("PicksKinds" & 2) <> 0;
                """);

            migrationBuilder.DropColumn(
                name: "PicksKinds",
                table: "users");
        }
    }
}
