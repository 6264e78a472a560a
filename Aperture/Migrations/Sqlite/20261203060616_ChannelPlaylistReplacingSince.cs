using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aperture.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChannelPlaylistReplacingSince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReplacingSince",
                table: "channel_playlists",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReplacingSince",
                table: "channel_playlists");
        }
    }
}
