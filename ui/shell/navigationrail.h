// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QKeySequence>
#include <QList>
#include <QWidget>

class QButtonGroup;
class QIcon;
class QToolButton;
class QVBoxLayout;

namespace brieflow::ui {

/**
 * The slim rail on the left of the main window: one button per page (icon above its label,
 * checked while the page shows, each with an accessible name and a window-wide shortcut) and,
 * at the bottom, Settings (a plain button, not a page).
 *
 * API: addPage(icon, label, toolTip, shortcut) → the page's index; setCurrentPage(int);
 *      currentPage(); pageButton(int); settingsButton();
 *      signals currentPageChanged(int) (the user or setCurrentPage), settingsRequested().
 */
class NavigationRail final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NavigationRail)

public:
    static constexpr int railWidth = 80;

    explicit NavigationRail(QWidget *parent = nullptr);
    ~NavigationRail() override;

    int addPage(const QIcon &icon, const QString &label, const QString &toolTip,
                const QKeySequence &shortcut = {});
    int currentPage() const;
    int pageCount() const { return static_cast<int>(m_pages.size()); }
    QToolButton *pageButton(int page) const { return m_pages.value(page); }
    QToolButton *settingsButton() const { return m_settings; }

public Q_SLOTS:
    void setCurrentPage(int page);

Q_SIGNALS:
    void currentPageChanged(int page);
    void settingsRequested();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QToolButton *makeButton(const QIcon &icon, const QString &label, const QString &toolTip);
    void updateStyle();

    QVBoxLayout *m_layout = nullptr;
    QButtonGroup *m_group = nullptr;
    QList<QToolButton *> m_pages;
    QToolButton *m_settings = nullptr;
    bool m_styling = false;
};

} // namespace brieflow::ui
