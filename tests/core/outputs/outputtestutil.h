// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QBuffer>
#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QHostAddress>
#include <QImage>
#include <QRandomGenerator>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"

#ifdef Q_OS_UNIX
#include <csignal>

#include <sys/resource.h>
#endif

namespace brieflow::test {

/** @p width × @p height pixels of seeded noise (incompressible) or a smooth gradient. */
inline QImage testImage(int width, int height, bool noise = false, quint32 seed = 1)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            line[x] = noise ? (random.generate() | 0xff000000u)
                            : qRgb((x * 255) / std::max(1, width - 1),
                                   (y * 255) / std::max(1, height - 1), int(seed % 256));
    }
    return image;
}

/** @p image encoded as "png", "jpeg"/"jpg" or "webp". */
inline QByteArray encodeImage(const QImage &image, const char *format, int quality = 90)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, format, quality))
        qWarning("cannot encode a %s test image", format);
    return bytes;
}

inline QByteArray pngBytes(int width = 40, int height = 30, quint32 seed = 1)
{
    return encodeImage(testImage(width, height, false, seed), "png");
}

/** Regular files under @p dir, recursively, hidden ones (the .partial folder) included. */
inline QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    return files;
}

/** Stored outputs only (everything under @p storage's folder except its temporary folder). */
inline QStringList storedFiles(const OutputStorage &storage)
{
    QStringList files = filesUnder(storage.outputsDir());
    files.removeIf([&storage](const QString &path) {
        return path.startsWith(storage.temporaryDir() + QLatin1Char('/'));
    });
    return files;
}

/** Runs one fetch to its callback and returns the outcome (nullopt: no callback in time). */
inline std::optional<Result<StoredOutput, OutputError>>
fetchAndWait(OutputDownloader &downloader, const QString &url, int timeoutMs = 10000)
{
    std::optional<Result<StoredOutput, OutputError>> outcome;
    QObject context;
    downloader.fetch(url, &context, [&outcome](const Result<StoredOutput, OutputError> &r) {
        outcome.emplace(r);
    });
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, timeoutMs))
        qWarning("no callback within %d ms", timeoutMs);
    return outcome;
}

/**
 * A raw TCP server for what FakeHttpServer cannot script: endless chunked bodies, lying
 * Content-Length headers, stalls in mid-body. Once a request's headers are read it calls the
 * handler with the socket; the handler writes what it likes.
 */
class RawHttpServer {
public:
    using Handler = std::function<void(QTcpSocket *)>;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                auto *buffer = new QByteArray;
                QObject::connect(socket, &QObject::destroyed, &m_server,
                                 [buffer] { delete buffer; });
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    if (buffer->contains("\r\n\r\n") && !socket->property("seen").toBool()) {
                        socket->setProperty("seen", true);
                        ++m_requests;
                        if (m_handler)
                            m_handler(socket);
                    }
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(address, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://%1:%2%3")
            .arg(m_server.serverAddress().toString())
            .arg(port())
            .arg(path);
    }
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    int connections() const { return m_connections; }
    int requests() const { return m_requests; }
    QTcpServer &server() { return m_server; }

private:
    QTcpServer m_server;
    Handler m_handler;
    int m_connections = 0;
    int m_requests = 0;
};

#ifdef Q_OS_UNIX
/**
 * Lowers this process's file-size limit (RLIMIT_FSIZE) to @p bytes with SIGXFSZ ignored, so a
 * write past it fails with EFBIG, as a full disk would fail with ENOSPC. Works as root too, and
 * the soft limit goes back up when the object goes.
 */
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_ok = ::getrlimit(RLIMIT_FSIZE, &m_saved) == 0;
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_saved;
        lowered.rlim_cur = bytes;
        m_ok = m_ok && ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_oldHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    bool ok() const { return m_ok; }

private:
    rlimit m_saved{};
    void (*m_oldHandler)(int) = nullptr;
    bool m_ok = false;
};
#endif

} // namespace brieflow::test
