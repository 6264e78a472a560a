using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// How a picks library is written: symlinks to the server's files, or STRM files holding stream URLs.
public enum OutputMode { Symlink, Strm }

// One user's picks library of one kind as Aperture last wrote it (output_libraries): where it is on disk and
// in the media server, when it was written, how many titles, and what went wrong if anything did.
public sealed class OutputLibraryRecord
{
    public required string UserId { get; set; }
    public MediaKind Kind { get; set; }
    public required string LibraryName { get; set; }
    public required string FolderName { get; set; }
    public string? LocalPath { get; set; }
    public string? ServerPath { get; set; }
    public string? ServerItemId { get; set; }
    public string? AccessId { get; set; }
    public OutputMode Mode { get; set; }
    public int ItemCount { get; set; }
    public int SkippedCount { get; set; }
    public string? SkippedSummary { get; set; }
    public DateTimeOffset? LastWrittenAt { get; set; }
    public string? LastError { get; set; }
    // The server was not told to rescan after the last write (its refresh failed): the next run asks again even
    // when no file changed, or the server would show the old titles until its own scheduled scan.
    public bool RefreshPending { get; set; }
}

internal sealed class OutputLibraryRecordConfiguration : IEntityTypeConfiguration<OutputLibraryRecord>
{
    public void Configure(EntityTypeBuilder<OutputLibraryRecord> builder)
    {
        builder.ToTable("output_libraries");
        builder.HasKey(o => new { o.UserId, o.Kind });
        builder.Property(o => o.UserId).HasMaxLength(64);
        builder.Property(o => o.LibraryName).HasMaxLength(256);
        builder.Property(o => o.FolderName).HasMaxLength(512);
        builder.Property(o => o.ServerItemId).HasMaxLength(64);
        builder.Property(o => o.AccessId).HasMaxLength(64);
        builder.HasIndex(o => o.LibraryName).IsUnique();
    }
}
