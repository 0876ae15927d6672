// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace brieflow::ui {

/**
 * Paints one gallery tile (GalleryModel rows): the thumbnail fitted in a square of
 * GalleryModel::thumbnailEdge (a quiet placeholder while it is being made), the product and
 * "#index" below it, a star in the corner that can be clicked, and — for images of a job that
 * didn't succeed — the job's state icon and word over the image. Every tile has the same size
 * (the view sets uniform item sizes). Selection is a tinted card with an outline; keyboard
 * focus adds a ring.
 *
 * signal starClicked(index) — the star of the tile was clicked (the panel stars or unstars).
 */
class GalleryDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryDelegate)

public:
    static constexpr int margin = 4;  ///< around each tile
    static constexpr int padding = 8; ///< inside a tile
    static constexpr int starSize = 24;

    explicit GalleryDelegate(QObject *parent = nullptr);
    ~GalleryDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    /** The tile size for @p option's font. */
    static QSize tileSize(const QStyleOptionViewItem &option);
    /** The square the thumbnail fits in, inside the item rect @p itemRect. */
    static QRect imageRect(const QRect &itemRect);
    /** The star's clickable area inside the item rect @p itemRect. */
    static QRect starRect(const QRect &itemRect);

Q_SIGNALS:
    void starClicked(const QModelIndex &index);
};

} // namespace brieflow::ui
