// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusdelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

#include "ui/queue/jobtablemodel.h"

namespace brieflow::ui {

QFont StatusDelegate::etaFont(const QFont &base)
{
    QFont font = base;
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 0.88);
    else
        font.setPixelSize(qMax(8, qRound(font.pixelSize() * 0.88)));
    return font;
}

void StatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    const QString eta = index.data(JobTableModel::EtaTextRole).toString();
    if (eta.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();

    // The background (selection, alternate rows) over the whole cell.
    QStyleOptionViewItem background = opt;
    background.text.clear();
    background.icon = QIcon();
    background.features &= ~QStyleOptionViewItem::HasDecoration;
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, opt.widget);

    // Two lines centred together: icon and state word, then the ETA.
    const QFont small = etaFont(opt.font);
    const int first = opt.fontMetrics.height();
    const int second = QFontMetrics(small).height();
    const int top = opt.rect.top() + qMax(0, (opt.rect.height() - first - second) / 2);
    QStyleOptionViewItem line = opt;
    line.rect = QRect(opt.rect.left(), top, opt.rect.width(), first);
    line.backgroundBrush = Qt::NoBrush;
    line.features &= ~QStyleOptionViewItem::Alternate;
    line.state &= ~QStyle::State_HasFocus;
    // The word alone (no selection fill again: it is already drawn).
    const bool selected = opt.state & QStyle::State_Selected;
    line.state &= ~QStyle::State_Selected;
    if (selected)
        line.palette.setColor(QPalette::Text, opt.palette.color(QPalette::HighlightedText));
    style->drawControl(QStyle::CE_ItemViewItem, &line, painter, opt.widget);

    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &line, opt.widget);
    const QRect etaRect(textRect.left(), top + first, opt.rect.right() - textRect.left(), second);
    painter->save();
    painter->setFont(small);
    QColor colour = selected ? opt.palette.color(QPalette::HighlightedText)
                             : opt.palette.color(QPalette::PlaceholderText);
    painter->setPen(colour);
    const QString text = QFontMetrics(small).elidedText(eta, Qt::ElideRight, etaRect.width());
    painter->drawText(etaRect, Qt::AlignLeft | Qt::AlignVCenter, text);
    painter->restore();
}

QSize StatusDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QString eta = index.data(JobTableModel::EtaTextRole).toString();
    if (!eta.isEmpty()) {
        const QFontMetrics small(etaFont(option.font));
        size.setHeight(qMax(size.height(), option.fontMetrics.height() + small.height()));
        size.setWidth(qMax(size.width(), small.horizontalAdvance(eta) + 32));
    }
    return size;
}

} // namespace brieflow::ui
