// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace brieflow::ui {

/**
 * Draws the queue's status cell: the state's icon and word, and for a queued or running job a
 * second, quieter line with its ETA (JobTableModel::EtaTextRole: "about 3 min", "no estimate
 * yet"). Without an ETA the cell is drawn as any other. The full sentence ("Done in about 3 min:
 * 2 jobs ahead of it.") is the cell's tooltip; screen readers get "Processing, done in …".
 */
class StatusDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /** The ETA line's font for a cell font @p base (a little smaller). */
    static QFont etaFont(const QFont &base);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace brieflow::ui
