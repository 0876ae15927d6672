// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallerydelegate.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include "ui/gallery/galleryicons.h"
#include "ui/gallery/gallerymodel.h"
#include "ui/queue/jobstatusstyle.h"

namespace brieflow::ui {

namespace {

constexpr int edge = GalleryModel::thumbnailEdge;
constexpr qreal radius = 8.0;

int captionHeight(const QFontMetrics &metrics)
{
    return metrics.height() + GalleryDelegate::padding;
}

QColor withAlpha(QColor colour, int alpha)
{
    colour.setAlpha(alpha);
    return colour;
}

} // namespace

GalleryDelegate::GalleryDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

GalleryDelegate::~GalleryDelegate() = default;

QSize GalleryDelegate::tileSize(const QStyleOptionViewItem &option)
{
    return {edge + 2 * (padding + margin),
            edge + 2 * (padding + margin) + captionHeight(option.fontMetrics)};
}

QRect GalleryDelegate::imageRect(const QRect &itemRect)
{
    return {itemRect.left() + margin + padding, itemRect.top() + margin + padding, edge, edge};
}

QRect GalleryDelegate::starRect(const QRect &itemRect)
{
    const QRect image = imageRect(itemRect);
    return {image.right() - starSize - 6 + 1, image.top() + 6, starSize + 4, starSize + 4};
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return tileSize(option);
}

void GalleryDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool focused = option.state & QStyle::State_HasFocus;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const QRectF card = QRectF(option.rect).adjusted(margin, margin, -margin, -margin);

    // The card: a subtle background; selected: tinted with the highlight and outlined.
    QColor background = pal.color(QPalette::AlternateBase);
    if (selected)
        background = withAlpha(pal.color(QPalette::Highlight), 60);
    else if (hovered)
        background = pal.color(QPalette::Midlight);
    painter->setPen(Qt::NoPen);
    painter->setBrush(background);
    painter->drawRoundedRect(card, radius, radius);
    if (selected || focused) {
        QPen pen(pal.color(QPalette::Highlight), focused ? 2.0 : 1.0);
        if (focused && !selected)
            pen.setStyle(Qt::DashLine);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(card.adjusted(1, 1, -1, -1), radius - 1, radius - 1);
    }

    // The thumbnail, fitted and centred in its square; a placeholder while it is coming.
    const QRect square = imageRect(option.rect);
    const QImage image = index.data(Qt::DecorationRole).value<QImage>();
    QPainterPath clip;
    clip.addRoundedRect(QRectF(square), 4, 4);
    if (image.isNull()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pal.color(QPalette::Base));
        painter->drawPath(clip);
        const QIcon icon = themedIcon(QStringLiteral("image-open"));
        const QRect iconRect(square.center() - QPoint(16, 24), QSize(32, 32));
        icon.paint(painter, iconRect, Qt::AlignCenter, QIcon::Disabled);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(square.adjusted(0, 24, 0, 0), Qt::AlignCenter, tr("Loading…"));
    } else {
        const QSizeF logical = QSizeF(image.size()) / image.devicePixelRatio();
        QSizeF fitted = logical.scaled(QSizeF(square.size()), Qt::KeepAspectRatio);
        if (logical.width() <= square.width() && logical.height() <= square.height())
            fitted = logical; // never enlarged
        const QRectF target(QPointF(square.center()) + QPointF(0.5, 0.5)
                                - QPointF(fitted.width() / 2, fitted.height() / 2),
                            fitted);
        painter->save();
        painter->setClipPath(clip);
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(target, image);
        painter->restore();
    }

    // The job's state when it didn't succeed: icon and word on a chip at the image's bottom.
    const auto status = static_cast<JobStatus>(index.data(GalleryModel::JobStatusRole).toInt());
    if (status != JobStatus::Succeeded) {
        const QString word = statusWord(status);
        const QFontMetrics &fm = option.fontMetrics;
        const int chipHeight = qMax(20, fm.height() + 4);
        const QRect chip(square.left() + 6, square.bottom() - chipHeight - 6 + 1,
                         16 + 6 + fm.horizontalAdvance(word) + 12, chipHeight);
        painter->setPen(Qt::NoPen);
        painter->setBrush(withAlpha(pal.color(QPalette::Base), 230));
        painter->drawRoundedRect(QRectF(chip), chipHeight / 2.0, chipHeight / 2.0);
        statusIcon(status).paint(painter, QRect(chip.left() + 6, chip.center().y() - 7, 16, 16));
        painter->setPen(pal.color(QPalette::Text));
        painter->drawText(chip.adjusted(6 + 16 + 4, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                          word);
    }

    // The star: always shown when starred; a quiet outline on hover or selection otherwise.
    const bool starred = index.data(GalleryModel::StarredRole).toBool();
    if (starred || hovered || selected) {
        const QRect star = starRect(option.rect);
        painter->setPen(Qt::NoPen);
        painter->setBrush(withAlpha(pal.color(QPalette::Base), 220));
        painter->drawEllipse(QRectF(star));
        themedIcon(starred ? QStringLiteral("star-filled") : QStringLiteral("star"))
            .paint(painter, star.adjusted(4, 4, -4, -4));
    }

    // The caption: product (elided) and "#index".
    const QString number =
        QStringLiteral("#%1").arg(index.data(GalleryModel::IndexInJobRole).toInt());
    const QRect caption(square.left(), square.bottom() + 1 + padding / 2, square.width(),
                        option.fontMetrics.height());
    const int numberWidth = option.fontMetrics.horizontalAdvance(number);
    painter->setPen(pal.color(selected ? QPalette::Text : QPalette::WindowText));
    const QString product =
        option.fontMetrics.elidedText(index.data(GalleryModel::ProductRole).toString(),
                                      Qt::ElideRight, caption.width() - numberWidth - padding);
    painter->drawText(caption, Qt::AlignLeft | Qt::AlignVCenter, product);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(caption, Qt::AlignRight | Qt::AlignVCenter, number);
    painter->restore();
}

bool GalleryDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const auto type = event->type();
    if (type == QEvent::MouseButtonPress || type == QEvent::MouseButtonRelease
        || type == QEvent::MouseButtonDblClick) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton
            && starRect(option.rect).contains(mouse->position().toPoint())) {
            // The star is a button of its own: it neither selects nor opens the image.
            if (type == QEvent::MouseButtonRelease)
                Q_EMIT starClicked(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace brieflow::ui
