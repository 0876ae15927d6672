// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;

namespace brieflow::ui {

/**
 * One figure of the Monitoring view on a card with a subtle background: a small title, the
 * value in large type and a line of detail under it ("3 of 4 ended jobs succeeded").
 */
class FigureCard final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FigureCard)

public:
    explicit FigureCard(const QString &title, QWidget *parent = nullptr);
    ~FigureCard() override;

    void setFigure(const QString &value, const QString &detail);
    /** Tints the value (a warning amber, an error red); an invalid colour: the normal text. */
    void setTone(const QColor &color);

    QString title() const;
    QString value() const;
    QString detail() const;
    QLabel *valueLabel() const { return m_value; }
    QLabel *detailLabel() const { return m_detail; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_title = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_detail = nullptr;
};

} // namespace brieflow::ui
