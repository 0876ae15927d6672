// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

#include <QNetworkAccessManager>
#include <QObject>
#include <QThreadPool>

#include "core/outputs/outputerror.h"
#include "core/outputs/outputpolicy.h"
#include "core/outputs/outputstorage.h"
#include "core/util/result.h"

class QNetworkReply;
class QUrl;

namespace brieflow {

/**
 * Downloads model outputs into an OutputStorage under an OutputPolicy: allowlist checked before
 * connecting and on every redirect (each hop is a request of our own, hop cap), size cap while
 * streaming, body streamed to a temporary file and hashed as it arrives, then sniffed, fully
 * decoded (on the global thread pool) and renamed atomically to its SHA-256 path. data: URIs go
 * through the same checks. At most policy.maxConcurrent transfers are on the wire; the rest wait
 * here, so QNAM never queues and the no-progress timer only runs while a transfer is live.
 * Never sends an Authorization header or cookies.
 *
 * Use on one thread (the one it lives on); owns its QNetworkAccessManager. The OutputStorage must
 * outlive it. Destroying it aborts every download, removes their partial files, waits for
 * decodes already running (tens of ms) and calls no callback.
 */
class OutputDownloader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutputDownloader)

public:
    using Callback = std::function<void(const Result<StoredOutput, OutputError> &)>;

    OutputDownloader(OutputStorage &storage, OutputPolicy policy, QObject *parent = nullptr);
    ~OutputDownloader() override;

    /**
     * Starts (or queues) fetching @p urlOrDataUri. @p done runs exactly once, later, from this
     * thread's event loop (never inside fetch() or abort()), unless @p context is destroyed
     * first: then the download is dropped silently. A null @p context means no guard.
     * Returns an id for abort().
     */
    quint64 fetch(const QString &urlOrDataUri, QObject *context, Callback done);
    /**
     * Stops download @p id: its partial file is removed and @p done still runs (later, from the
     * event loop) with a Network error whose detail is "aborted". A decode already running
     * finishes in the background and its result is discarded (the file may remain in storage,
     * which is harmless: it is content-addressed). Unknown or finished ids are ignored.
     */
    void abort(quint64 id);

    /** Fetches whose callback is still to come: queued, on the wire or being decoded. */
    int inFlight() const { return static_cast<int>(m_downloads.size()); }
    /** Waiting for a slot. */
    int queuedCount() const { return static_cast<int>(m_queue.size()); }
    /** Transfers on the wire now, and at most since construction. */
    int transferringCount() const { return m_transferring; }
    int peakTransferring() const { return m_peakTransferring; }

    const OutputPolicy &policy() const { return m_policy; }
    const OutputStorage &storage() const { return m_storage; }

private:
    struct Download;
    using Outcome = Result<StoredOutput, OutputError>;

    void pump();
    void start(Download &d);
    void onMetaDataChanged(quint64 id);
    void onReadyRead(quint64 id);
    void sendRequest(Download &d);
    void followRedirect(quint64 id, const QUrl &target);
    void onFinished(quint64 id);
    void runOffThread(quint64 id, std::function<Outcome()> task);
    /** Ends @p id: stops its transfer, removes its partial file, delivers @p outcome queued. */
    void finish(quint64 id, Outcome outcome);
    /** Ends @p id without a callback (its context died). */
    void drop(quint64 id);
    /** Stops the transfer and deletes the partial file, if any. */
    void release(Download &d);
    Download *find(quint64 id);
    static void restartIdleTimer(Download &d);

    OutputStorage &m_storage;
    /// Verifying and storing finished downloads (an image decode each). Not the global pool:
    /// Qt's raster paint engine splits image conversions into tasks on the global pool and the
    /// GUI thread waits for them, so a backlog of decodes there froze the app for a second.
    QThreadPool m_pool;
    OutputPolicy m_policy;
    QNetworkAccessManager m_nam;
    std::unordered_map<quint64, std::unique_ptr<Download>> m_downloads;
    std::deque<quint64> m_queue;
    int m_transferring = 0;
    int m_peakTransferring = 0;
    quint64 m_nextId = 1;
};

} // namespace brieflow
