// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "progressdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

#include "ui/queue/jobstatusstyle.h"
#include "ui/queue/jobtablemodel.h"

namespace brieflow::ui {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const double fraction = qBound(0.0, index.data(JobTableModel::ProgressRole).toDouble(), 1.0);
    const auto status = static_cast<JobStatus>(index.data(JobTableModel::JobStatusRole).toInt());
    const QRectF track = QRectF(opt.rect).adjusted(8, 0, -8, 0);
    const qreal height = 4;
    const QRectF bar(track.left(), track.center().y() - height / 2, track.width(), height);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    QColor trackColour = opt.palette.color(QPalette::WindowText);
    trackColour.setAlphaF(0.15f);
    painter->setBrush(trackColour);
    painter->drawRoundedRect(bar, height / 2, height / 2);
    if (fraction > 0) {
        const bool stuck = !index.data(JobTableModel::StuckReasonRole).toString().isEmpty();
        painter->setBrush(stuck ? stuckColour() : statusColour(status));
        painter->drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, height),
                                 height / 2, height / 2);
    }
    painter->restore();
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), 72));
    return size;
}

} // namespace brieflow::ui
