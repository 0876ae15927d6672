// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

class QThread;

namespace brieflow::ui {

/**
 * Small images of stored outputs for the queue, the job detail and the gallery, never decoded
 * on the GUI thread: thumbnail() answers at once from memory, or returns a null image and
 * decodes in a private thread pool (scaled while reading where the decoder can: a JPEG is never
 * decoded whole), then emits thumbnailReady(). Decoded thumbnails are also written (JPEG, or
 * PNG when they have transparency) below `<cacheDir>/thumbnails/`, keyed by the output's SHA-256
 * and the edge length, so the next start reads a few kilobytes instead of the original.
 * bench_thumbnails measures both paths.
 *
 * API for the integrator:
 *   ThumbnailCache(const QString &cacheDir, QObject *parent)  — cacheDir: Paths::cacheDir()
 *   QImage thumbnail(filePath, sha256, edge)                   — GUI thread
 *   signal thumbnailReady(sha256, edge) / thumbnailFailed(sha256, edge)
 * One instance is shared by the queue model, the job detail view and the gallery.
 */
class ThumbnailCache final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThumbnailCache)

public:
    explicit ThumbnailCache(const QString &cacheDir, QObject *parent = nullptr);
    /** Waits for the decodes in flight (they are short: one scaled read each). */
    ~ThumbnailCache() override;

    /**
     * The thumbnail of the image at @p filePath, whose content has @p sha256, fitting in
     * @p edge × @p edge pixels (never enlarged). Null while it is being made (then
     * thumbnailReady() follows) or when the file can't be read (thumbnailFailed(), once).
     */
    QImage thumbnail(const QString &filePath, const QString &sha256, int edge);
    /** The disk cache file of a thumbnail. */
    QString cacheFile(const QString &sha256, int edge) const;

    // For tests and benchmarks.
    int decodesInFlight() const { return static_cast<int>(m_pending.size()); }
    /** The threads that decode (the cache's own pool). */
    int poolThreadCount() const { return m_pool.maxThreadCount(); }
    /** How many originals were decoded (disk cache hits don't count). */
    int decodeCount() const;
    /** True when a decode or disk read ever ran on @p thread. */
    bool workedOnThread(const QThread *thread) const;
    /** Forgets the in-memory thumbnails (the disk cache stays). */
    void clearMemory();

    struct Stats; ///< shared with the decoding tasks

Q_SIGNALS:
    void thumbnailReady(const QString &sha256, int edge);
    void thumbnailFailed(const QString &sha256, int edge);

private:
    static QString key(const QString &sha256, int edge);

    QString m_dir;
    QCache<QString, QImage> m_memory;
    QSet<QString> m_pending;
    QSet<QString> m_failed;
    std::shared_ptr<Stats> m_stats;
    QThreadPool m_pool;
};

} // namespace brieflow::ui
