using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aperture.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutputLibraries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "output_libraries",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    LibraryName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FolderName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    LocalPath = table.Column<string>(type: "text", nullable: true),
                    ServerPath = table.Column<string>(type: "text", nullable: true),
                    ServerItemId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AccessId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Mode = table.Column<int>(type: "integer", nullable: false),
                    ItemCount = table.Column<int>(type: "integer", nullable: false),
                    SkippedCount = table.Column<int>(type: "integer", nullable: false),
                    SkippedSummary = table.Column<string>(type: "text", nullable: true),
                    LastWrittenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_output_libraries", x => new { x.UserId, x.Kind });
                });

            migrationBuilder.CreateIndex(
                name: "IX_output_libraries_LibraryName",
                table: "output_libraries",
                column: "LibraryName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "output_libraries");
        }
    }
}
