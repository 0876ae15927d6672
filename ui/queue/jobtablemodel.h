// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>

class QTimer;

#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

class JobEstimates;
class ThumbnailCache;

/**
 * The queue as a table over the job store: one row per job, loaded lazily a page at a time
 * (canFetchMore()/fetchMore()), sorted and filtered in SQL (sort() and the filters re-query).
 * Display text, state words, icons and colours are decided here, never in core.
 *
 * API for the integrator:
 *   JobTableModel(JobStore &reader, QObject *parent)  — a Reader (or Writer) store on the GUI
 *                                                        thread; it must outlive the model
 *   setThumbnailCache(ThumbnailCache *)                — thumbnails in the first column
 *   setWriter(JobStore *)                              — enables drag-and-drop reordering
 *   slot refresh(QList<JobId>)  — call it with the id of a job the GUI just created or
 *                                  changed: the row appears in place at once, the selection
 *                                  and the scroll position stay
 *   slot refreshLater(QList<JobId>) — connect EngineHost::jobsChanged: the same, coalesced
 *                                  (rows at most every refreshIntervalMs, moves at most every
 *                                  resyncIntervalMs), so a busy engine never stalls the GUI
 *   slot reload()               — re-reads everything (a model reset)
 *   setStatusFilter(), setTextFilter(), setIdFilter(), sort() — re-query in SQL
 *   setEstimates(JobEstimates *)  — queued and running jobs get an ETA (EtaTextRole), computed
 *                                  on reload, at most every etaIntervalMs after changes and on
 *                                  updateTimes(); never while painting
 *   signal reloadFailed(message), totalCountChanged(int)
 *
 * removeRows() is deliberately not implemented: after an internal drag-and-drop move the view
 * calls it on the source rows, and the move has already happened in the store.
 */
class JobTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTableModel)

public:
    enum Column {
        Thumbnail,
        Product,
        Status,
        Step,
        Progress,
        Attempts,
        Created,
        Duration,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole, ///< the raw value behind a cell (sortable, comparable)
        JobIdRole,                   ///< the job id string, any column
        JobStatusRole,               ///< int(JobStatus), any column
        ProgressRole,                ///< steps done / steps, 0..1, any column
        StuckReasonRole,             ///< why the job looks stuck; empty when it isn't
        EtaTextRole,  ///< "about 3 min", "no estimate yet" or "queue paused" (queued jobs)
        EtaMsRole,    ///< the ETA in ms (qint64); invalid without an estimate
        JobsAheadRole ///< pending or processing jobs ahead in the queue; invalid when not queued
    };
    static constexpr int pageSize = 200;
    static constexpr int refreshIntervalMs = 100; ///< refreshLater(): rows that changed
    static constexpr int resyncIntervalMs = 500;  ///< refreshLater(): rows that must move
    static constexpr int thumbnailEdge = 32;      ///< logical pixels
    static constexpr int etaIntervalMs = 1000;    ///< ETAs after changes: at most this often
    static constexpr const char *mimeType = "application/x-brieflow-job-ids";

    /** @p store must outlive the model and live on the GUI thread. Loads the first page. */
    explicit JobTableModel(JobStore &store, QObject *parent = nullptr);
    ~JobTableModel() override;

    void setThumbnailCache(ThumbnailCache *cache);
    /** The store that drag-and-drop reorders write to (a Writer on the GUI thread); null: no
     *  reordering by drag and drop. */
    void setWriter(JobStore *writer) { m_writer = writer; }

    void setStatusFilter(std::optional<JobStatus> status);
    void setTextFilter(const QString &text);
    /** Only these jobs (empty: every job), e.g. the Monitoring view's "show these jobs". */
    void setIdFilter(const QList<JobId> &ids);
    /** Where ETAs come from (null: none); it must outlive the model. */
    void setEstimates(JobEstimates *estimates);
    /** The queue is paused: queued jobs say so instead of an ETA. */
    void setQueuePaused(bool paused);
    bool isQueuePaused() const { return m_queuePaused; }
    /** The query behind the rows (filter and sort; limit and offset are the model's). */
    const JobQuery &query() const { return m_query; }
    /** How many jobs match the filter (rowCount() is how many are loaded so far). */
    int totalCount() const { return m_total; }
    /** True when the rows are in queue order, so dragging a pending job can reorder it. */
    bool isInQueueOrder() const;

    JobId jobId(int row) const;
    /** The row of a job, or -1 when it isn't loaded. */
    int rowOf(const JobId &id) const;
    /** The job of a row as last read; nullptr for a bad row. */
    const JobRecord *jobAt(int row) const;

    /** The last error from the store, empty when the last read worked. */
    QString lastError() const { return m_lastError; }
    static QString statusText(JobStatus status);
    static bool isSortable(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;

    /** What the store was asked for so far, for tests and benchmarks. */
    struct ReadStats {
        int rowsRead = 0;    ///< rows re-read by id (progress and thumbnail included)
        int windowReads = 0; ///< re-reads of the whole loaded window (moves, new, deleted)
    };
    const ReadStats &readStats() const { return m_stats; }
    /** True while refreshLater() has changes not applied yet. */
    bool hasPendingRefresh() const;

    /** Benchmark hook: how long a model over @p store takes to load its first page. */
    struct FirstPageTiming {
        qint64 nsecs = 0;
        int rows = 0;
        int total = 0;
    };
    static FirstPageTiming measureFirstPage(JobStore &store, const JobQuery &query = {});

public Q_SLOTS:
    /** Reads everything again (a model reset: the selection goes). */
    void reload();
    /** These jobs changed (or are new, or were deleted): updates their rows in place; rows move,
     *  appear or go only when the order or the filter requires it. */
    void refresh(const QList<brieflow::JobId> &jobs);
    /** refresh(), coalesced: for the engine's notifications. */
    void refreshLater(const QList<brieflow::JobId> &jobs);
    /** Applies what refreshLater() collected now. */
    void flushPendingRefresh();
    /** Re-reads the loaded rows (order, new and deleted jobs) without a reset. */
    void resync();
    /** The relative times ("3 min ago") and running durations moved on: repaints them (and
     *  computes the ETAs again). */
    void updateTimes();
    /** Computes the ETAs of the loaded queued and running jobs now: one read of their places in
     *  the queue, the steps of the running ones; repaints the rows whose ETA changed. */
    void updateEstimates();

Q_SIGNALS:
    void reloadFailed(const QString &message);
    void totalCountChanged(int total);
    /** A drop reordered the queue in the store. */
    void jobsReordered(const QList<brieflow::JobId> &moved);

private:
    struct Row {
        JobRecord job;
        QString product;
        JobProgress progress;
        OutputRecord thumbnail;
    };

    bool readRows(const QList<JobRecord> &jobs, QList<Row> &rows);
    /** Updates rows in place; returns the ids whose rows must move, appear or go. With
     *  @p updateMoving, rows that must move are updated in place meanwhile too. */
    QSet<JobId> applyChanges(const QList<JobId> &jobs, bool updateMoving);
    /** True when @p job is known to sort after the last loaded row while more rows wait to be
     *  fetched: then it is outside the window and the window needn't change. */
    bool sortsBeyondWindow(const JobRecord &job) const;
    void resyncWindow(const QSet<JobId> &changed);
    void runPendingResync();
    void onRefreshTimer();
    void setTotal(int total);
    void rebuildIndex();
    bool failed(const QString &message);
    void onThumbnailReady(const QString &sha256);
    QVariant displayData(const Row &row, int column) const;
    QVariant toolTipData(const Row &row, int column) const;
    QVariant rawData(const Row &row, int column) const;
    QString stepTitle(const QString &name) const;
    qint64 durationMs(const Row &row) const;
    /** updateEstimates() within etaIntervalMs (not restarted: a busy queue still gets them). */
    void scheduleEstimates();
    QString etaText(const Row &row) const;
    /** How many queued jobs are ahead of each of @p active (loaded, queued rows). */
    Result<QHash<JobId, int>, StoreError> jobsAhead(const QList<JobId> &active) const;

    JobStore &m_store;
    JobStore *m_writer = nullptr;
    QPointer<ThumbnailCache> m_thumbnails;
    JobQuery m_query;
    QList<Row> m_rows;
    QHash<JobId, int> m_index;
    QHash<QString, QString> m_stepTitles;
    struct Eta {
        std::optional<qint64> ms;
        int ahead = 0;
        friend bool operator==(const Eta &, const Eta &) = default;
    };
    QPointer<JobEstimates> m_estimates;
    QHash<JobId, Eta> m_etas; ///< queued and running loaded jobs, by updateEstimates()
    QTimer *m_etaTimer = nullptr;
    bool m_queuePaused = false;
    int m_total = 0;
    /// Set while structural signals are out: a view (or QAbstractItemModelTester) reacting to
    /// them must not fetch more rows before the change has fully landed.
    bool m_changing = false;
    QString m_lastError;
    ReadStats m_stats;
    // refreshLater(): ids not applied yet, and ids whose rows must still move.
    QList<JobId> m_pending;
    QSet<JobId> m_pendingSet;
    QSet<JobId> m_pendingMoves;
    QTimer *m_refreshTimer = nullptr;
    QTimer *m_resyncTimer = nullptr;
    QElapsedTimer m_sinceResync;
    /// A job appeared, went, or may have left the status filter: the next resync counts the
    /// matching jobs again (a count over every job reads the whole table).
    bool m_recount = true;
};

} // namespace brieflow::ui
