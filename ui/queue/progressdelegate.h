// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace brieflow::ui {

/**
 * Draws the queue's progress column as a thin bar (steps done / steps) in the colour of the
 * job's state, reading JobTableModel::ProgressRole and JobStatusRole. The text stays available
 * to screen readers and tooltips through the model.
 */
class ProgressDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace brieflow::ui
