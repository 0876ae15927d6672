// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "thumbnailcache.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageReader>
#include <QImageWriter>
#include <QMutex>
#include <QMutexLocker>
#include <QSaveFile>
#include <QThread>
#include <QtConcurrent>

namespace brieflow::ui {

struct ThumbnailCache::Stats {
    mutable QMutex mutex;
    int decodes = 0;
    QSet<const QThread *> threads;

    void note(bool decoded)
    {
        const QMutexLocker lock(&mutex);
        threads.insert(QThread::currentThread());
        if (decoded)
            ++decodes;
    }
};

namespace {

/** Runs in the pool: the cached PNG if there is one, else a scaled read of the original. */
QImage makeThumbnail(const QString &original, const QString &cached, int edge,
                     ThumbnailCache::Stats *stats);

} // namespace

ThumbnailCache::ThumbnailCache(const QString &cacheDir, QObject *parent)
    : QObject(parent)
    , m_dir(QDir(cacheDir).filePath(QStringLiteral("thumbnails")))
    , m_memory(64 * 1024) // KiB: ~250 gallery thumbnails of 256 px, more of the queue's
    , m_stats(std::make_shared<Stats>())
{
    // Two threads: thumbnails must not crowd out the engine's own decoding on the global pool.
    m_pool.setMaxThreadCount(2);
    m_pool.setObjectName(QStringLiteral("ThumbnailCache"));
}

ThumbnailCache::~ThumbnailCache()
{
    m_pool.waitForDone();
}

QString ThumbnailCache::key(const QString &sha256, int edge)
{
    return sha256 + QLatin1Char('-') + QString::number(edge);
}

QString ThumbnailCache::cacheFile(const QString &sha256, int edge) const
{
    if (sha256.size() < 2)
        return {};
    return m_dir + QLatin1Char('/') + sha256.left(2) + QLatin1Char('/') + key(sha256, edge)
           + QStringLiteral(".thumb");
}

int ThumbnailCache::decodeCount() const
{
    const QMutexLocker lock(&m_stats->mutex);
    return m_stats->decodes;
}

bool ThumbnailCache::workedOnThread(const QThread *thread) const
{
    const QMutexLocker lock(&m_stats->mutex);
    return m_stats->threads.contains(thread);
}

void ThumbnailCache::clearMemory()
{
    m_memory.clear();
}

QImage ThumbnailCache::thumbnail(const QString &filePath, const QString &sha256, int edge)
{
    const QString k = key(sha256.isEmpty() ? filePath : sha256, edge);
    if (const QImage *image = m_memory.object(k))
        return *image;
    if (m_pending.contains(k) || m_failed.contains(k) || filePath.isEmpty() || edge <= 0)
        return {};
    m_pending.insert(k);

    auto *watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, k, sha256, edge] {
        const QImage image = watcher->result();
        watcher->deleteLater();
        m_pending.remove(k);
        if (image.isNull()) {
            m_failed.insert(k);
            Q_EMIT thumbnailFailed(sha256, edge);
            return;
        }
        const auto kib = static_cast<qsizetype>(image.sizeInBytes() / 1024) + 1;
        m_memory.insert(k, new QImage(image), kib);
        Q_EMIT thumbnailReady(sha256, edge);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, makeThumbnail, filePath, cacheFile(sha256, edge),
                                         edge, m_stats.get()));
    return {};
}

namespace {

QImage makeThumbnail(const QString &original, const QString &cached, int edge,
                     ThumbnailCache::Stats *stats)
{
    if (!cached.isEmpty() && QFileInfo::exists(cached)) {
        QImageReader reader(cached); // JPEG or PNG: decided from the content
        reader.setDecideFormatFromContent(true);
        QImage image = reader.read();
        if (!image.isNull() && qMax(image.width(), image.height()) <= edge) {
            stats->note(false);
            return image;
        }
    }
    stats->note(true);
    QImageReader reader(original);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    // Scaling while reading pays off where the decoder itself can do it (JPEG: DCT scaling,
    // 5 ms → 2 ms for 1024²); Qt's PNG reader instead decodes whole and then scales row by row,
    // slower than decoding and scaling once (20 → 29 ms), so PNG is decoded whole.
    const bool decoderScales = reader.format() != "png";
    if (decoderScales && size.isValid() && (size.width() > edge || size.height() > edge))
        reader.setScaledSize(size.scaled(edge, edge, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return {};
    if (image.width() > edge || image.height() > edge)
        image = image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (!cached.isEmpty() && QDir().mkpath(QFileInfo(cached).absolutePath())) {
        // Best effort: a cache that can't be written only costs a decode next time. An opaque
        // thumbnail is kept as JPEG (0.5 ms to write, against 10–13 ms for a default PNG), one
        // with transparency as a PNG at low compression (3 ms).
        QSaveFile file(cached);
        if (file.open(QIODevice::WriteOnly)) {
            QImageWriter writer(&file, image.hasAlphaChannel() ? "png" : "jpeg");
            writer.setQuality(image.hasAlphaChannel() ? 90 : 88);
            if (writer.write(image))
                file.commit();
        }
    }
    return image;
}

} // namespace

} // namespace brieflow::ui
