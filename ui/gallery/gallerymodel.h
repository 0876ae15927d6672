// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QMultiHash>
#include <QPointer>

#include "core/store/records.h"
#include "ui/queue/thumbnailcache.h"

class QTimer;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

/**
 * The gallery's images as a list over the job store: one row per image output, newest first,
 * loaded a page at a time (canFetchMore()/fetchMore()) and filtered in SQL (a GalleryQuery).
 * Thumbnails come from the shared ThumbnailCache at thumbnailEdge logical pixels: the
 * DecorationRole is null until the cache reports the thumbnail ready, then only that row
 * changes.
 *
 * Images never change their place: the order (created_at, id) is fixed once an image exists.
 * So resync() re-reads the loaded window and applies it as removals, insertions (new images at
 * the top) and in-place changes — never a reset — and the view keeps its selection and scroll
 * position.
 *
 * API for the integrator:
 *   GalleryModel(JobStore &reader, QObject *parent) — a store on the GUI thread; it must
 *                                                    outlive the model
 *   setThumbnailCache(ThumbnailCache *)
 *   setQuery(GalleryQuery)           — filters (limit and offset are the model's); re-reads
 *   slot refreshLater()              — connect EngineHost::jobsChanged / jobSettled: resync(),
 *                                      at most every refreshIntervalMs
 *   slot resync()                    — re-reads the loaded images now, without a reset
 *   signal totalCountChanged(int), reloadFailed(QString)
 */
class GalleryModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryModel)

public:
    enum Role {
        OutputIdRole = Qt::UserRole, ///< QString
        JobIdRole,                   ///< QString
        FilePathRole,                ///< QString
        Sha256Role,                  ///< QString
        ProductRole,                 ///< QString
        ModelRole,                   ///< QString: the model ref, empty when unknown
        JobStatusRole,               ///< int(JobStatus)
        StarredRole,                 ///< bool
        CreatedRole,                 ///< QDateTime (UTC)
        IndexInJobRole,              ///< int, 1-based
        SizeRole,                    ///< QSize in pixels (invalid when unknown)
        BytesRole,                   ///< qint64
    };
    static constexpr int pageSize = 200;
    static constexpr int thumbnailEdge = 256; ///< logical pixels
    static constexpr int refreshIntervalMs = 250;

    explicit GalleryModel(JobStore &store, QObject *parent = nullptr);
    ~GalleryModel() override;

    void setThumbnailCache(ThumbnailCache *cache);
    ThumbnailCache *thumbnailCache() const { return m_thumbnails.data(); }

    /** Filters the images; limit and offset are ignored. Re-reads (a reset) when it differs. */
    void setQuery(const GalleryQuery &query);
    const GalleryQuery &query() const { return m_query; }
    /** True when any filter is set. */
    static bool isFiltered(const GalleryQuery &query);
    /** How many images match the filters (rowCount() is how many are loaded). */
    int totalCount() const { return m_total; }

    const GalleryItem *itemAt(int row) const;
    OutputId outputId(int row) const;
    /** The row of an image, or -1 when it isn't loaded. */
    int rowOf(const OutputId &id) const;
    /** The loaded items of these rows, in row order, without duplicates. */
    QList<GalleryItem> itemsAt(QList<int> rows) const;
    QString lastError() const { return m_lastError; }
    /** True while refreshLater() waits to resync. */
    bool hasPendingRefresh() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QHash<int, QByteArray> roleNames() const override;

public Q_SLOTS:
    /** Reads the first page again (a model reset: the selection goes). */
    void reload();
    /** Re-reads the loaded images (and any new ones at the top) without a reset. */
    void resync();
    /** resync(), coalesced: for the engine's notifications. */
    void refreshLater();

Q_SIGNALS:
    void totalCountChanged(int total);
    void reloadFailed(const QString &message);

private:
    bool failed(const QString &message);
    void setTotal(int total);
    void rebuildIndex();
    void onThumbnailReady(const QString &sha256, int edge);
    int thumbnailPixels() const;
    QString toolTip(const GalleryItem &item) const;

    JobStore &m_store;
    QPointer<ThumbnailCache> m_thumbnails;
    GalleryQuery m_query;
    QList<GalleryItem> m_items;
    QHash<OutputId, int> m_index;
    QMultiHash<QString, int> m_bySha;
    int m_total = 0;
    /// Set while structural signals are out: nothing may fetch more meanwhile.
    bool m_changing = false;
    QString m_lastError;
    QTimer *m_refreshTimer = nullptr;
};

} // namespace brieflow::ui
