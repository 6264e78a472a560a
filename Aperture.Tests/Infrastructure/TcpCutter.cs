using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Aperture.Tests.Infrastructure;

// A TCP pass-through to a server (PostgreSQL) that a test can cut at once: every open connection is reset and new ones are
// refused, as the network sees a process that died. Used to let an in-process app host "die" without its final writes.
public sealed class TcpCutter : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly ConcurrentDictionary<Socket, byte> open = new();
    private readonly CancellationTokenSource cut = new();
    private readonly Task accepting;

    public TcpCutter(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public bool IsCut => cut.IsCancellationRequested;

    public void Cut()
    {
        if (cut.IsCancellationRequested)
        {
            return;
        }
        cut.Cancel();
        listener.Stop();
        foreach (var socket in open.Keys)
        {
            try
            {
                // Linger 0: a reset, not a polite close.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            // Its pipe may close and dispose it at this very moment (pooled connections stay open until the cut).
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
        open.Clear();
    }

    private async Task AcceptAsync()
    {
        while (!cut.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cut.Token);
            }
            catch (Exception) when (cut.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        open[client] = 0;
        open[server] = 0;
        try
        {
            await server.ConnectAsync(targetHost, targetPort, cut.Token);
            await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        }
        catch (Exception) when (cut.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            open.TryRemove(client, out _);
            open.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cut.Token);
                if (read == 0)
                {
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cut.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await accepting;
        cut.Dispose();
    }
}
