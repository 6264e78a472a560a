using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aperture.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutputRefreshPending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RefreshPending",
                table: "output_libraries",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RefreshPending",
                table: "output_libraries");
        }
    }
}
