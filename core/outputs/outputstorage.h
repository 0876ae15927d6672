// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include "core/outputs/outputerror.h"
#include "core/util/result.h"

namespace brieflow {

/** One output image on disk, checked and content-addressed. */
struct StoredOutput {
    QString filePath; ///< absolute: <outputs>/<sha[0:2]>/<sha>.<ext>
    QString sha256;   ///< lower-case hex of exactly the bytes on disk
    QString mime;     ///< image/png, image/jpeg or image/webp (from the magic bytes)
    int width = 0;
    int height = 0;
    qint64 bytes = 0;
    QString sourceUrl; ///< the URL fetched; for data: URIs only "data:<type>[;base64]"
};

/**
 * The outputs folder: content-addressed images plus a temporary folder for partial downloads
 * on the same file system, so the final rename is atomic. Holds no mutable state: every member
 * can be called from any thread at once (two stores of the same bytes both end in one file).
 */
class OutputStorage {
public:
    explicit OutputStorage(QString outputsDir);

    QString outputsDir() const { return m_dir; }
    /** <outputs>/.partial: downloads in progress. */
    QString temporaryDir() const;
    /**
     * <outputs>/<sha[0:2]>/<sha>.<ext>. Empty when @p sha256 is not 64 lower-case hex digits or
     * @p extension is not 1–8 lower-case letters/digits (names never come from URLs).
     */
    QString pathFor(const QString &sha256, const QString &extension) const;
    /**
     * A fresh, unused path inside temporaryDir() (created if missing) for a download to write
     * to; open it with QIODevice::NewOnly.
     */
    QString newTemporaryPath() const;
    /**
     * Deletes leftover partial files and returns how many. Call at start-up before any download
     * starts; when another process may be downloading into the same folder, pass @p olderThan
     * (e.g. 10 min: a live download writes at least every OutputPolicy::timeout).
     */
    int removeStaleTemporaries(std::chrono::milliseconds olderThan = std::chrono::milliseconds(0));

    /**
     * Sniffs, fully decodes and hashes @p bytes, then writes them atomically to their SHA-256
     * path (reusing the file if it is already there). For data: URIs and tests. Decodes on the
     * calling thread.
     */
    Result<StoredOutput, OutputError> storeBytes(const QByteArray &bytes, const QString &sourceUrl);
    /**
     * Takes over the finished download at @p tempPath (which must be inside temporaryDir()):
     * sniffs, fully decodes, hashes (unless @p knownSha256, computed while streaming, is given),
     * syncs and renames it atomically to its SHA-256 path; if that file already exists the temp
     * file is dropped and the existing one reused. The temp file is always consumed: renamed on
     * success, deleted on every failure. Decodes on the calling thread (13–60 ms for a big image).
     */
    Result<StoredOutput, OutputError> adoptTemporary(const QString &tempPath,
                                                     const QString &sourceUrl,
                                                     const QString &knownSha256 = {});

private:
    /** Creates @p target's folder and renames @p tempPath over it (atomic on one volume). */
    Result<void, OutputError> placeAtomically(const QString &tempPath, const QString &target) const;

    QString m_dir;
};

/** "image/png", "image/jpeg" or "image/webp" from the first 12 bytes; empty for anything else. */
QString imageMimeFromMagic(QByteArrayView head);

/** Which of "png", "jpeg", "webp" Qt cannot read here (the start-up check). */
QStringList missingImageFormats();

/**
 * A sentence for the start-up check, e.g. "WebP images can't be read: install
 * qt6-image-formats-plugins."; empty when nothing is missing.
 */
QString missingImageFormatsMessage(const QStringList &missing);

} // namespace brieflow
